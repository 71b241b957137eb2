@preconcurrency import CEqprop
import Foundation

/// run.json: what produced a run, so its numbers can be traced and reproduced: eqprop's
/// version and ABI, each plugin's id, version, library file and that file's SHA-256, the
/// machine, the seed, the command line, the checkpoint options and the start time. A resumed
/// run appends the same facts under `resumed`, and warns when a plugin library or the
/// kernel's thread count changed, either of which may make it differ from an uninterrupted
/// run.
enum RunManifest {
  /// Writes the manifest of a run starting now with `options` (resolved: no nil).
  static func start(
    _ config: RunConfig, folder: String, options: RunOptions, communicator: any Communicator
  ) throws(PluginFailure) {
    var object = session(config, options: options, communicator: communicator)
    object["format"] = "eqprop run"
    object["eqprop_version"] = EqpropVersion.current
    object["abi"] = "\(EQP_ABI_MAJOR).\(EQP_ABI_MINOR)"
    object["name"] = config.name
    object["seed"] = NSNumber(value: config.seed)
    try write(object, folder: folder)
  }

  /// Adds a resumption at `progress` to the manifest (or starts one, if it is missing).
  static func resume(
    _ config: RunConfig, folder: String, options: RunOptions, from progress: TrainingProgress,
    communicator: any Communicator
  ) throws(PluginFailure) {
    let path = folder + "/" + RunFolder.manifestName
    guard var object = read(folder) else {
      return try start(config, folder: folder, options: options, communicator: communicator)
    }
    var entry = session(config, options: options, communicator: communicator)
    entry["from_epochs_done"] = progress.epochsDone
    entry["from_batches_done"] = progress.batchesDone
    warnOfChanges(from: object, to: entry, path: path)
    object["resumed"] = (object["resumed"] as? [Any] ?? []) + [entry]
    try write(object, folder: folder)
  }

  /// `options` with what the run's last process chose where they hold nil.
  static func completing(_ options: RunOptions, from folder: String) -> RunOptions {
    guard let object = read(folder) else { return options }
    let last = (object["resumed"] as? [[String: Any]])?.last ?? object
    var completed = options
    completed.checkpointEvery = options.checkpointEvery ?? last["checkpoint_every"] as? Int
    completed.keepBest = options.keepBest ?? last["best"] as? Bool
    return completed
  }

  private static func read(_ folder: String) -> [String: Any]? {
    guard let data = FileManager.default.contents(atPath: folder + "/" + RunFolder.manifestName)
    else { return nil }
    return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
  }

  /// The facts of one process's part of the run.
  private static func session(
    _ config: RunConfig, options: RunOptions, communicator: any Communicator
  ) -> [String: Any] {
    let sections = [config.model, config.dynamics, config.learner]
    let plugins = sections.map { section -> [String: Any] in
      let plugin = section.plugin
      return [
        "kind": plugin.kind.name, "id": plugin.id, "version": plugin.version,
        "library": plugin.file,
        "library_version": plugin.library.version,
        "sha256": (try? SHA256Digest.hex(ofFile: plugin.file)) ?? "unreadable",
      ]
    }
    return [
      "started": ISO8601DateFormatter().string(from: Date()), "command_line": options.commandLine,
      "machine": MachineDescription.current().json, "plugins": plugins,
      "checkpoint_every": options.checkpointEvery ?? 0, "best": options.keepBest ?? false,
      "ranks": communicator.size, "communicator": communicator.library,
    ]
  }

  /// Warns of what may keep a resumed run from matching an uninterrupted one.
  private static func warnOfChanges(from first: [String: Any], to now: [String: Any], path: String)
  {
    let before = (first["plugins"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
      $0["\($1["kind"] ?? ""):\($1["id"] ?? "")"] = $1["sha256"] as? String
    }
    for plugin in now["plugins"] as? [[String: Any]] ?? [] {
      let key = "\(plugin["kind"] ?? ""):\(plugin["id"] ?? "")"
      if let old = before[key], let new = plugin["sha256"] as? String, old != new {
        HostLog.warning(
          "\(key): the library \(plugin["library"] ?? "") changed since the run started (SHA-256 \(old) "
            + "in \(path), \(new) now); the resumed run may differ from an uninterrupted one")
      }
    }
    let threads = { (object: [String: Any]) in
      (object["machine"] as? [String: Any])?["threads"] as? Int
    }
    let ranks = { (object: [String: Any]) in object["ranks"] as? Int ?? 1 }
    if ranks(first) != ranks(now) {
      HostLog.warning(
        "the run started on \(ranks(first)) ranks and resumes on \(ranks(now)); updates summed over "
          + "another split of each batch round differently (and parallel.continual_reduce: batch "
          + "averages other shards), so the weights may differ from an uninterrupted run")
    }
    if let old = threads(first), let new = threads(now), old != new {
      HostLog.warning(
        "the run started with \(old) kernel threads and resumes with \(new) (EQPROP_THREADS); sums split "
          + "across threads may round differently, so the weights may differ from an uninterrupted run"
      )
    }
  }

  private static func write(_ object: [String: Any], folder: String) throws(PluginFailure) {
    let path = folder + "/" + RunFolder.manifestName
    do {
      let data = try JSONSerialization.data(
        withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
      try AtomicFile.replace(path, with: [Array(data) + [UInt8(ascii: "\n")]])
    } catch {
      throw PluginFailure("\(path): cannot be written: \(error)")
    }
  }
}
