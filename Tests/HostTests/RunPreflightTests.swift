@preconcurrency import Glibc
import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// A folder that cannot be written, or a disk too small for the run's checkpoints, is
/// refused before training starts; a disk that fills up during the run stops it with the
/// last complete checkpoint kept, from which it resumes.
final class RunPreflightTests: XCTestCase {
  func testAnUnwritableFolderIsRefusedBeforeTraining() throws {
    let run = try TinyRun()
    try Data("x".utf8).write(to: URL(fileURLWithPath: run.path("file")))
    let underAFile = try run.train("file/run")
    XCTAssertEqual(underAFile.status, 1)
    XCTAssertTrue(
      underAFile.standardError.contains(
        "\(run.path("file/run")): the run folder cannot be created (\(run.path("file")) is a file, "
          + "not a folder); give --out a folder you may write to"), underAFile.standardError)
    // Read-only: a read-only tmpfs (root ignores permissions), or a folder without write
    // permission for anyone else.
    let readOnly = try TinyFileSystem(at: run.path("ro"), bytes: 1 << 16, readOnly: true)
    defer { readOnly?.unmount() }
    if readOnly == nil {
      guard getuid() != 0 else { throw XCTSkip("root without mount: nothing here is read-only") }
      XCTAssertEqual(chmod(run.path("ro"), 0o555), 0)
    }
    let inside = try run.train("ro")
    XCTAssertEqual(inside.status, 1)
    XCTAssertTrue(
      inside.standardError.contains(
        "\(run.path("ro")): the run folder is not writable (open failed: "), inside.standardError)
    let below = try run.train("ro/run")
    XCTAssertEqual(below.status, 1)
    XCTAssertTrue(
      below.standardError.contains(
        "\(run.path("ro/run")): the run folder cannot be created (\(run.path("ro/run")): mkdir failed: "
      ),
      below.standardError)
  }

  func testADiskTooSmallForTheCheckpointsIsRefusedBeforeTraining() throws {
    let run = try TinyRun()
    guard let disk = try TinyFileSystem(at: run.path("disk"), bytes: 1 << 20) else {
      throw XCTSkip("no tmpfs can be mounted here (needs root)")
    }
    defer { disk.unmount() }
    let refused = try run.train("disk/run")
    XCTAssertEqual(refused.status, 1)
    for part in [
      "\(run.path("disk/run")): its file system has ", " free, but the run needs about ",
      ": 2 checkpoints of 0.14 MB at once (θ 0.05 MB, optimizer state 0.05 MB, persistent states 0.04 MB)",
      "free some space or give --out a folder on another file system",
    ] {
      XCTAssertTrue(refused.standardError.contains(part), "\(part) in \(refused.standardError)")
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: run.path("disk/run"))
    XCTAssertFalse(files.contains(RunFolder.manifestName), "\(files)")
    XCTAssertFalse(files.contains(RunFolder.metricsName), "\(files)")
  }

  /// The need is the sum of a checkpoint's tensors, as many at once as the slots may hold,
  /// the final weights and a margin; refused below it, with each part named.
  func testTheSpaceNeededCountsEachCheckpointAtOnce() throws {
    var need = DiskSpaceNeed(
      parameterBytes: 2_000_000, optimizerBytes: 2_000_000, persistentBytes: 6_000_000,
      keepsBest: false)
    XCTAssertEqual(need.bytes, 2 * 10_000_000 + 2_000_000 + 1_000_000)
    XCTAssertNil(need.refusal(folder: "runs/x", available: 23_000_000))
    XCTAssertEqual(
      need.refusal(folder: "runs/x", available: 20_000_000)?.message,
      "runs/x: its file system has 20.00 MB free, but the run needs about 23.00 MB: 2 checkpoints "
        + "of 10.00 MB at once (θ 2.00 MB, optimizer state 2.00 MB, persistent states 6.00 MB), the "
        + "final weights and 1.00 MB for metrics and logs; free some space or give --out a folder "
        + "on another file system")
    need.keepsBest = true
    XCTAssertEqual(need.bytes, 33_000_000)
    need.storedBytes = 10_000_000
    XCTAssertEqual(need.bytes, 23_000_000)
    XCTAssertTrue(
      need.refusal(folder: "runs/x", available: 0)?.message.contains(
        "3 checkpoints of 10.00 MB at once") ?? false)
    // A session's need is what its checkpoints hold.
    let run = try TinyRun()
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let job = try TrainingJob(config: RunConfig.load(file: run.configPath, catalog: catalog))
    let session = DiskSpaceNeed(job.session, keepsBest: false)
    let bytes = { (tensors: [SafetensorsTensor]) in tensors.reduce(0) { $0 + $1.bytes.count } }
    XCTAssertEqual(session.parameterBytes, bytes(job.session.parameterTensors()))
    XCTAssertEqual(
      session.checkpointBytes,
      bytes(job.session.parameterTensors() + (try job.session.trainingStateTensors())))
    XCTAssertEqual(session.optimizerBytes, session.parameterBytes)
    XCTAssertGreaterThan(session.persistentBytes, 0)
  }

  /// The disk fills up after the first checkpoint: the run stops at the next write, naming
  /// the problem and the checkpoint it keeps, and resumes once there is room, to the
  /// weights of a run that never stopped.
  func testADiskFullMidRunStopsWithTheLastCheckpointKept() throws {
    let run = try TinyRun(
      config: TinyRun.config.replacingOccurrences(of: "train_limit: 400", with: "train_limit: 4000")
        .replacingOccurrences(of: "epochs: 3", with: "epochs: 1"))
    guard let disk = try TinyFileSystem(at: run.path("disk"), bytes: 4 << 20) else {
      throw XCTSkip("no tmpfs can be mounted here (needs root)")
    }
    defer { disk.unmount() }
    XCTAssertEqual(try run.train("whole").status, 0)
    let folder = run.path("disk/run")
    let (process, log) = try run.start("disk/run", ["--checkpoint-every", "1"])
    XCTAssertNotNil(run.waitForCheckpoint("disk/run", of: process) { $0.progress.batchesDone > 0 })
    Self.keepFull(disk.path, while: process)
    process.waitUntilExit()
    let stderr = try String(contentsOfFile: log, encoding: .utf8)
    XCTAssertEqual(process.terminationStatus, 1, stderr)
    let record = try run.checkpoint("disk/run")
    for part in [
      "No space left on device",
      "The run stopped: \(folder)/checkpoint.json (after 0 epochs and \(record.progress.batchesDone) "
        + "batches) is its last complete checkpoint, and `eqprop train --resume \(folder)` continues "
        + "from it once the problem is solved",
    ] {
      XCTAssertTrue(stderr.contains(part), "\(part) in \(stderr)")
    }
    // The checkpoint is whole (its digest is checked), nothing half-written is left, and
    // metrics.jsonl ends with a whole line.
    XCTAssertNotNil(try CheckpointSlot.latest(in: folder).read())
    let files = try FileManager.default.contentsOfDirectory(atPath: folder)
    XCTAssertEqual(files.filter { $0.contains(".tmp-") }, [])
    let metrics = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + RunFolder.metricsName))
    XCTAssertTrue(metrics.isEmpty || metrics.last == UInt8(ascii: "\n"))
    try FileManager.default.removeItem(atPath: disk.path + "/filler")
    let resumed = try run.resume("disk/run")
    XCTAssertEqual(resumed.status, 0, resumed.standardError)
    try run.assertSameRun("disk/run", as: "whole")
  }

  /// Fills `folder`'s file system and keeps it full while `process` runs: space the run
  /// frees (a previous checkpoint removed) is taken back at once.
  private static func keepFull(_ folder: String, while process: Process) {
    let descriptor = open(folder + "/filler", O_WRONLY | O_CREAT | O_APPEND, 0o644)
    defer { close(descriptor) }
    let chunk = [UInt8](repeating: 1, count: 4096)
    while process.isRunning {
      while chunk.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
      usleep(200)
    }
  }
}
