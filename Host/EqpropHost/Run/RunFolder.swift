@preconcurrency import CEqprop
import Foundation
@preconcurrency import Glibc

/// The files of a run folder (runs/NAME, or --out):
///
///     config.yaml          the resolved config, every default filled in
///     run.json             eqprop and plugin versions, library SHA-256s, machine, seed, command lines
///     metrics.jsonl        one line per logging window and per epoch (`MetricsLine`)
///     checkpoint.json      the latest checkpoint, naming its tensors file
///     checkpoint-eE-bB.safetensors   θ, optimizer/NAME, persistent/LAYER after E epochs, B batches
///     best.json, best-eE-b0.safetensors   with --best: the epoch of lowest test error
///     weights.safetensors  θ when the run ended
///     .lock                flock'ed by the run writing here
public enum RunFolder {
  public static let weightsName = "weights.safetensors"
  public static let configName = "config.yaml"
  public static let manifestName = "run.json"
  public static let metricsName = "metrics.jsonl"
  static let lockName = ".lock"

  /// Creates `folder` and its parents when missing; a refusal names the part that failed
  /// and why (Foundation's messages for these are vague).
  static func create(_ folder: String) throws(PluginFailure) {
    var path = folder.hasPrefix("/") ? "/" : ""
    for component in folder.split(separator: "/") {
      path += component
      var isFolder: ObjCBool = false
      if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
        guard mkdir(path, 0o777) == 0 || errno == EEXIST else {
          throw uncreatable(folder, "\(path): \(SystemCallFailure("mkdir", errno))")
        }
      } else if !isFolder.boolValue {
        throw uncreatable(folder, "\(path) is a file, not a folder")
      }
      path += "/"
    }
  }

  private static func uncreatable(_ folder: String, _ reason: String) -> PluginFailure {
    PluginFailure(
      "\(folder): the run folder cannot be created (\(reason)); give --out a folder you may write "
        + "to")
  }

  /// Writes θ and the resolved config into `folder` (created if needed).
  public static func save(_ session: TrainingSession, to folder: String) throws(PluginFailure) {
    try create(folder)
    try saveWeights(session, to: folder)
    try saveConfig(session.config, to: folder)
  }

  /// Writes θ as `weights.safetensors`.
  static func saveWeights(_ session: TrainingSession, to folder: String) throws(PluginFailure) {
    let metadata = [
      "format": "eqprop weights", "model": session.model.plugin.id,
      "model_version": session.model.plugin.version, "abi": "\(EQP_ABI_MAJOR).\(EQP_ABI_MINOR)",
    ]
    do {
      try SafetensorsFile.write(
        tensors: session.parameterTensors(), metadata: metadata, to: folder + "/" + weightsName)
    } catch {
      throw PluginFailure("\(error)")
    }
  }

  /// Writes the resolved config as `config.yaml`.
  static func saveConfig(_ config: RunConfig, to folder: String) throws(PluginFailure) {
    do {
      try AtomicFile.replace(folder + "/" + configName, with: [Array(config.resolvedText.utf8)])
    } catch {
      throw PluginFailure("\(folder)/\(configName): cannot be written: \(error)")
    }
  }

  /// A file that says a run already trained in `folder`, if there is one.
  static func existingRun(in folder: String) -> String? {
    [manifestName, metricsName, CheckpointSlot.latest(in: folder).name + ".json", weightsName]
      .map { folder + "/" + $0 }.first { FileManager.default.fileExists(atPath: $0) }
  }

  /// Removes the temporary files a process killed inside `AtomicFile.replace` left behind
  /// (`.NAME.tmp-PID-N`); they were never renamed, so nothing refers to them.
  static func removeTemporaryFiles(in folder: String) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    for name in names where name.hasPrefix(".") && name.contains(".tmp-") {
      try? FileManager.default.removeItem(atPath: folder + "/" + name)
    }
  }

  /// The weights file and the config beside it for `path`: a run folder (its
  /// weights.safetensors, else its latest checkpoint), a checkpoint sidecar (`checkpoint.json`,
  /// `best.json`: the tensors file it names) or a safetensors file.
  public static func locate(_ path: String) throws(PluginFailure) -> (
    weights: String, config: String
  ) {
    var isFolder: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
    if exists, isFolder.boolValue {
      let weights = path + "/" + weightsName
      if FileManager.default.fileExists(atPath: weights) {
        return (weights, path + "/" + configName)
      }
      if let record = try CheckpointSlot.latest(in: path).sidecar() {
        return (path + "/" + record.tensors, path + "/" + configName)
      }
      throw PluginFailure(
        "\(path): holds neither \(weightsName) nor checkpoint.json; give a run folder, a checkpoint "
          + "sidecar or a .safetensors file")
    }
    let folder = (path as NSString).deletingLastPathComponent
    let parent = folder.isEmpty ? "." : folder
    if path.hasSuffix(".json") {
      let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
      guard let record = try CheckpointSlot(folder: parent, name: name).sidecar() else {
        throw PluginFailure("\(path): no such checkpoint sidecar")
      }
      return (parent + "/" + record.tensors, parent + "/" + configName)
    }
    return (path, parent + "/" + configName)
  }

  /// Replaces the session's θ with the weights in `path`, checking names, shapes and dtype.
  public static func loadWeights(_ path: String, into session: TrainingSession)
    throws(PluginFailure)
  {
    let file: SafetensorsFile
    do {
      file = try SafetensorsFile.read(path)
    } catch {
      throw PluginFailure("\(error)")
    }
    try session.loadParameters(from: file, path: path)
  }
}
