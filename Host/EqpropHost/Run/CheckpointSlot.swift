import Foundation

/// One named checkpoint of a run folder: the sidecar `NAME.json` and the tensors file it
/// names, `NAME-eE-bB.safetensors` (after E epochs and B more batches).
///
/// A new checkpoint writes its tensors file under a new name, then the sidecar, each
/// atomically (`AtomicFile`: temporary file, fsync, rename, fsync of the folder); only then
/// does the previous tensors file go. Whenever a crash strikes, the sidecar names a complete
/// tensors file of its own checkpoint, and its SHA-256 says so.
struct CheckpointSlot {
  let folder: String
  let name: String

  static func latest(in folder: String) -> CheckpointSlot {
    CheckpointSlot(folder: folder, name: "checkpoint")
  }
  static func best(in folder: String) -> CheckpointSlot {
    CheckpointSlot(folder: folder, name: "best")
  }

  var sidecarPath: String { folder + "/" + name + ".json" }

  /// The checkpoint held here: its sidecar, its tensors (checked against the recorded
  /// digest) and their path; nil when there is no sidecar.
  func read() throws(PluginFailure) -> (
    record: CheckpointRecord, tensors: SafetensorsFile, path: String, bytes: [UInt8]
  )? {
    guard let record = try sidecar() else { return nil }
    let path = folder + "/" + record.tensors
    let bytes: [UInt8]
    do {
      bytes = try ReadableFile(path: path).readToEnd()
    } catch {
      throw PluginFailure("\(path), named by \(sidecarPath), cannot be read: \(error)")
    }
    let digest = SHA256Digest.hex(of: [bytes])
    guard digest == record.tensorsSHA256 else {
      throw PluginFailure(
        "\(path) has SHA-256 \(digest), but \(sidecarPath) recorded \(record.tensorsSHA256): the file "
          + "changed after the checkpoint was written")
    }
    do {
      return (record, try SafetensorsFile.decode(bytes, file: path), path, bytes)
    } catch {
      throw PluginFailure("\(error)")
    }
  }

  /// The sidecar alone; nil when there is none.
  func sidecar() throws(PluginFailure) -> CheckpointRecord? {
    guard FileManager.default.fileExists(atPath: sidecarPath) else { return nil }
    let record: CheckpointRecord
    do {
      record = try CheckpointRecord.decode(try ReadableFile(path: sidecarPath).readToEnd())
    } catch {
      throw PluginFailure("\(sidecarPath): not a checkpoint sidecar this eqprop reads (\(error))")
    }
    guard record.format == CheckpointRecord.formatName,
      record.version == CheckpointRecord.currentVersion,
      !record.tensors.contains("/")
    else {
      throw PluginFailure(
        "\(sidecarPath): format \"\(record.format)\" version \(record.version) naming \(record.tensors); "
          + "expected \"\(CheckpointRecord.formatName)\" version \(CheckpointRecord.currentVersion) naming a "
          + "file beside it")
    }
    return record
  }

  /// Saves `session` as this slot's checkpoint at `progress`, then removes the previous one;
  /// `reaching` hears of each step as it is done (a test kills the process at one).
  /// `state` is the session's `trainingStateTensors()`, which every rank of a data-parallel
  /// run gathers before rank 0 writes.
  func write(
    _ session: TrainingSession, state: [SafetensorsTensor], progress: TrainingProgress,
    batchesPerEpoch: Int, metricsOffset: UInt64, testError: Double?,
    reaching: (CheckpointStep) -> Void = { _ in }
  ) throws(PluginFailure) {
    let tensorsName = "\(name)-e\(progress.epochsDone)-b\(progress.batchesDone).safetensors"
    let previous = try? sidecar()
    // The same position holds the same state (training replays exactly): nothing to write,
    // and rewriting the file the sidecar names would break the order above.
    if previous?.tensors == tensorsName { return }
    let path = folder + "/" + tensorsName
    let metadata = [
      "format": CheckpointRecord.formatName, "model": session.model.plugin.id,
      "epochs_done": "\(progress.epochsDone)", "batches_done": "\(progress.batchesDone)",
    ]
    do {
      let parts = try SafetensorsFile.encoded(
        tensors: session.parameterTensors() + state, metadata: metadata,
        for: path)
      try AtomicFile.replace(path, with: parts) { reaching(.tensorsWritten) }
      reaching(.tensorsRenamed)
      let record = CheckpointRecord(
        tensors: tensorsName, tensorsSHA256: SHA256Digest.hex(of: parts), progress: progress,
        batchesPerEpoch: batchesPerEpoch, rng: CheckpointRecord.hexWords(session.randomState),
        metricsOffset: metricsOffset, configSHA256: session.config.identityDigest,
        testError: testError,
        written: ISO8601DateFormatter().string(from: Date()))
      try AtomicFile.replace(sidecarPath, with: [try record.encoded()]) {
        reaching(.sidecarWritten)
      }
    } catch {
      throw PluginFailure(
        "\(folder): the \(name) after \(progress.epochsDone) epochs and \(progress.batchesDone) "
          + "batches cannot be written: \(error)")
    }
    reaching(.sidecarRenamed)
    removeTensorFiles(keeping: tensorsName)
  }

  /// "FOLDER/checkpoint.json (after E epochs and B batches)": the checkpoint held here, as a
  /// message names it; nil when there is none (or its sidecar does not read).
  var summary: String? {
    guard let record = try? sidecar() else { return nil }
    return "\(sidecarPath) (after \(record.progress.epochsDone) epochs and "
      + "\(record.progress.batchesDone) batches)"
  }

  /// Removes this slot's tensors files except `keep`: the previous checkpoint's, or one a
  /// crash left before its sidecar was written.
  func removeTensorFiles(keeping keep: String?) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    for file in names
    where file.hasPrefix(name + "-e") && file.hasSuffix(".safetensors") && file != keep {
      try? FileManager.default.removeItem(atPath: folder + "/" + file)
    }
  }
}
