@preconcurrency import CEqprop
import Foundation

/// A run's saved result: `weights.safetensors` (θ by parameter name) and `config.yaml` (the
/// resolved config, every default filled in), both written atomically.
public enum RunFolder {
  public static let weightsName = "weights.safetensors"
  public static let configName = "config.yaml"

  /// Writes θ and the resolved config into `folder` (created if needed).
  public static func save(_ session: TrainingSession, to folder: String) throws(PluginFailure) {
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw PluginFailure("\(folder): cannot create the run folder: \(error.localizedDescription)")
    }
    let dtype: SafetensorsDType = session.config.dtype == UInt32(EQP_DTYPE_F64) ? .f64 : .f32
    let tensors = session.model.parameters.enumerated().map { index, parameter in
      SafetensorsTensor(
        name: parameter.name, dtype: dtype, shape: parameter.shape.map(Int.init),
        bytes: session.parameterBytes(index))
    }
    let metadata = [
      "format": "eqprop weights", "model": session.model.plugin.id,
      "model_version": session.model.plugin.version,
      "abi": "\(EQP_ABI_MAJOR).\(EQP_ABI_MINOR)",
    ]
    do {
      try SafetensorsFile.write(tensors: tensors, metadata: metadata, to: folder + "/" + weightsName)
      try AtomicFile.replace(folder + "/" + configName, with: [Array(session.config.resolvedText.utf8)])
    } catch {
      throw PluginFailure("\(folder): \(error)")
    }
  }

  /// The weights file and the config beside it, for a run folder or a weights file path.
  public static func locate(_ path: String) -> (weights: String, config: String) {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      return (path + "/" + weightsName, path + "/" + configName)
    }
    let folder = (path as NSString).deletingLastPathComponent
    return (path, (folder.isEmpty ? "." : folder) + "/" + configName)
  }

  /// Replaces the session's θ with the saved weights, checking names, shapes and dtype.
  public static func loadWeights(_ path: String, into session: TrainingSession) throws(PluginFailure) {
    let file: SafetensorsFile
    do {
      file = try SafetensorsFile.read(path)
    } catch {
      throw PluginFailure("\(error)")
    }
    let dtype: SafetensorsDType = session.config.dtype == UInt32(EQP_DTYPE_F64) ? .f64 : .f32
    for (index, parameter) in session.model.parameters.enumerated() {
      guard let tensor = file.tensors.first(where: { $0.name == parameter.name }) else {
        throw PluginFailure(
          "\(path): has no tensor '\(parameter.name)' (it holds \(file.tensors.map(\.name).joined(separator: ", ")))")
      }
      guard tensor.shape == parameter.shape.map(Int.init), tensor.dtype == dtype else {
        throw PluginFailure(
          "\(path): tensor '\(parameter.name)' is \(tensor.dtype.rawValue) \(tensor.shape); the model "
            + "needs \(dtype.rawValue) \(parameter.shape)")
      }
      try session.setParameterBytes(index, tensor.bytes)
    }
  }
}
