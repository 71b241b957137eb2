import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// Config hooks: checked like the rest of the config, called by the Trainer, their results
/// logged as metrics, from a C plugin built after the host.
final class HookTests: XCTestCase {
  private var folder = ""

  private let base = """
    model: {id: dense, layers: [10, 16, 784]}
    dynamics: {id: discrete, free_steps: 3}
    learner: {id: ext}
    optimizer: {lr: [0.1, 0.1]}
    training: {epochs: 2, batch_size: 20, train_limit: 100, test_limit: 20}
    """

  override func setUpWithError() throws {
    folder = try CPluginBuilder.temporaryFolder("eqprop-hooks")
    try CPluginBuilder.extensionFixture(into: folder)
  }

  private func resolve(hooks: String) throws -> RunConfig {
    let catalog = PluginCatalog.load(
      PluginSearchPath(folders: [folder, RepositoryPaths.binaryFolder]))
    let text = base + "\nhooks:\n" + hooks
    return try RunConfig.resolve(
      ConfigParser.parse(text: text, source: "h.yaml"), source: "h.yaml", catalog: catalog,
      overrides: .init(data: RepositoryPaths.mnist))
  }

  private func assertRejected(_ hooks: String, saying fragments: [String], line: UInt = #line) {
    XCTAssertThrowsError(try TrainingJob(config: resolve(hooks: hooks)).run { _ in }, line: line) {
      error in
      let message = "\(error)"
      for fragment in fragments {
        XCTAssertTrue(message.contains(fragment), "«\(message)» lacks «\(fragment)»", line: line)
      }
    }
  }

  func testHookLogsAMetricFromAPluginBuiltAfterTheHost() throws {
    let eqprop = RepositoryPaths.binaryFolder + "/eqprop"
    let config = folder + "/hooks.yaml"
    try
      (base + """

        hooks:
          - {plugin: ext, function: batches, every: epoch}
          - {plugin: learner:ext, function: mix, args: [1, 0.5, 0.25, 3], every_batches: 2}
          - {plugin: ext, function: elements, args: [W1x]}
        """).write(toFile: config, atomically: true, encoding: .utf8)
    let result = try ProcessRunner.run(
      eqprop,
      [
        "train", config, "--plugins", folder, "--data", RepositoryPaths.mnist, "--out",
        folder + "/run", "--json",
      ])
    XCTAssertEqual(result.status, 0, result.standardError)
    let epochs = result.standardError.split(separator: "\n").filter { $0.hasPrefix("epoch ") }
    XCTAssertEqual(epochs.count, 2, result.standardError)
    // The learner counts its minibatches: 100 examples / 20 per batch, then 5 more.
    XCTAssertTrue(epochs.first?.contains("  ext.batches 5.0") ?? false, result.standardError)
    XCTAssertTrue(epochs.last?.contains("  ext.batches 10.0") ?? false, result.standardError)
    for line in epochs {
      XCTAssertTrue(line.contains("  ext.mix[1,0.5,0.25,3] 3031.0"), String(line))
      XCTAssertTrue(line.contains("  ext.elements[W1x] 14544.0"), String(line))
    }
    let summary = try XCTUnwrap(
      JSONSerialization.jsonObject(
        with: Data((result.standardOutput.split(separator: "\n").last ?? "").utf8))
        as? [String: Any])
    let perEpoch = try XCTUnwrap(summary["per_epoch"] as? [[String: Any]])
    let metrics = try XCTUnwrap(perEpoch.last?["metrics"] as? [String: Double])
    XCTAssertEqual(metrics["ext.batches"], 10)
    XCTAssertEqual(metrics["ext.mix[1,0.5,0.25,3]"], 3031)
    // The saved config keeps the hooks, so the run folder loads again.
    let saved = try String(contentsOfFile: folder + "/run/config.yaml", encoding: .utf8)
    XCTAssertTrue(
      saved.contains(
        "{plugin: \"learner:ext\", function: mix, args: [1, 0.5, 0.25, 3], every_batches: 2}"),
      saved)
  }

  func testResolvedHooksReadBackTheSame() throws {
    let run = try resolve(
      hooks: "  - {plugin: ext, function: twice, args: [4], every_batches: 3}\n")
    XCTAssertEqual(run.hooks.first?.metricName, "ext.twice[4]")
    XCTAssertEqual(run.hooks.first?.schedule, .batches(3))
    let catalog = PluginCatalog.load(
      PluginSearchPath(folders: [folder, RepositoryPaths.binaryFolder]))
    let again = try RunConfig.resolve(
      ConfigParser.parse(text: run.resolved.yamlText(), source: "r.yaml"), source: "r.yaml",
      catalog: catalog)
    XCTAssertEqual(again.resolved, run.resolved)
  }

  func testConfigErrorsNameTheKeyPath() {
    assertRejected(
      "  - {plugin: ext, functon: batches}\n",
      saying: ["hooks[0].functon: unknown key; did you mean 'function'?"])
    assertRejected(
      "  - {plugin: ep, function: batches}\n",
      saying: [
        "hooks[0].plugin: no plugin 'ep'", "learner:ext", "the run's model, dynamics or learner",
      ])
    assertRejected(
      "  - {plugin: ext, function: batches}\n  - {plugin: ext, function: batchs}\n",
      saying: ["hooks[1].function:", "did you mean 'batches'?"])
    assertRejected(
      "  - {plugin: ext, function: mix, args: [1, 2]}\n",
      saying: ["hooks[0].args: signature d(idfl) takes 4 arguments", "found 2"])
    assertRejected(
      "  - {plugin: ext, function: mix, args: [1, x, 2, 3]}\n",
      saying: ["hooks[0].args[1]: expected d (double) of signature d(idfl), found a string (x)"])
    assertRejected(
      "  - {plugin: ext, function: batches, every: batch}\n",
      saying: ["hooks[0].every: must be \"epoch\""])
    assertRejected(
      "  - {plugin: ext, function: batches, every: epoch, every_batches: 2}\n",
      saying: ["hooks[0]: give every"])
    assertRejected(
      "  - {plugin: ext, function: batches, every_batches: 0}\n",
      saying: ["hooks[0].every_batches:"])
    // 100 examples in batches of 20: a hook every 6 batches would never run.
    assertRejected(
      "  - {plugin: ext, function: batches, every_batches: 6}\n",
      saying: ["hooks[0].every_batches: 6 is more than the 5 batches of an epoch"])
    assertRejected(
      "  - {plugin: ext, function: elements, args: [W9]}\n",
      saying: ["hooks[0]:", "no θ tensor 'W9'"])
    assertRejected(
      "  - {plugin: ext, function: batches}\n  - {plugin: ext, function: batches, every_batches: 1}\n",
      saying: ["hooks[1]: calls ext.batches like hooks[0]"])
  }

  func testFailingHookStopsTrainingNamingTheHook() {
    assertRejected(
      "  - {plugin: ext, function: fail}\n",
      saying: [
        "hooks[0]: learner 'ext'", "function 'fail' (i(e)) failed", "ext: fail refuses on purpose",
      ])
  }
}
