import EqpropHost
import FuzzSupport

// The plugins configs are resolved against: those in `EQPROP_PLUGIN_PATH` (scripts/fuzz points
// it at a normal build's folder), loaded once. With none, resolving refuses every config.
let catalog = PluginCatalog.load(PluginSearchPath.standard(commandLine: []))

// Each input is a YAML config file, parsed and resolved as `eqprop train` reads one.
fuzz { bytes in
  // A config file is read as UTF-8; other bytes are refused before YAML sees them.
  guard let text = String(validating: bytes, as: UTF8.self) else { return }
  // Any string, as a key and as a value, in block and in flow style, reads back from the text
  // the config writer makes.
  let strings = ConfigValue.map([(text, .list([.string(text), .map([(text, .string(text))])]))])
  expect(
    (try? ConfigParser.parse(text: strings.yamlText(), source: "strings.yaml")) == strings,
    "the strings do not read back from\n\(strings.yamlText())")
  guard let parsed = try? ConfigParser.parse(text: text, source: "fuzz.yaml"),
    let config = try? RunConfig.resolve(parsed, source: "fuzz.yaml", catalog: catalog)
  else { return }
  // A run folder saves the resolved config as config.yaml, and resuming reads it back: it
  // must resolve again to the same config.
  do {
    let saved = try ConfigParser.parse(text: config.resolvedText, source: "config.yaml")
    let again = try RunConfig.resolve(saved, source: "config.yaml", catalog: catalog)
    if let difference = again.resolved.firstDifference(from: config.resolved) {
      fatalError(
        "config.yaml reads \(difference.path) back as \(difference.mine), not \(difference.theirs)")
    }
  } catch {
    fatalError("the saved config.yaml is refused: \(error)\n\(config.resolvedText)")
  }
}
