import Foundation
@preconcurrency import Glibc

/// What is checked of a run folder before training starts, so an unwritable folder or a
/// full disk is a refusal naming the folder, not a failure at the first checkpoint.
extension RunFolder {
  /// Refuses `folder` unless a file can be created, written, synced and removed in it: what
  /// every checkpoint does.
  static func checkWritable(_ folder: String) throws(PluginFailure) {
    let probe = "\(folder)/.write-check.tmp-\(getpid())"
    let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw unwritable(folder, SystemCallFailure("open", errno)) }
    defer { unlink(probe) }
    var failure: SystemCallFailure?
    let byte: [UInt8] = [0]
    if byte.withUnsafeBytes({ write(descriptor, $0.baseAddress, 1) }) != 1 {
      failure = SystemCallFailure("write", errno)
    } else if fsync(descriptor) != 0 {
      failure = SystemCallFailure("fsync", errno)
    }
    close(descriptor)
    if let failure { throw unwritable(folder, failure) }
  }

  /// Refuses `folder` when its file system has less free space than `need`.
  static func checkSpace(_ folder: String, for need: DiskSpaceNeed) throws(PluginFailure) {
    var info = statvfs()
    guard statvfs(folder, &info) == 0 else {
      throw PluginFailure(
        "\(folder): the free space of its file system cannot be read: "
          + "\(SystemCallFailure("statvfs", errno))")
    }
    if let refusal = need.refusal(
      folder: folder, available: UInt64(info.f_bavail) * UInt64(info.f_frsize))
    {
      throw refusal
    }
  }

  /// Bytes of the checkpoint tensors files in `folder` now.
  static func storedCheckpointBytes(in folder: String) -> Int {
    let slots = [CheckpointSlot.latest(in: folder).name, CheckpointSlot.best(in: folder).name]
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    let tensorsFiles = names.filter { name in
      name.hasSuffix(".safetensors") && slots.contains { name.hasPrefix($0 + "-e") }
    }
    return tensorsFiles.reduce(0) { total, name in
      let size = (try? FileManager.default.attributesOfItem(atPath: folder + "/" + name))?[.size]
      return total + ((size as? NSNumber)?.intValue ?? 0)
    }
  }

  private static func unwritable(_ folder: String, _ failure: SystemCallFailure) -> PluginFailure {
    PluginFailure(
      "\(folder): the run folder is not writable (\(failure)); give --out a folder you may write "
        + "to, on a file system with room")
  }
}
