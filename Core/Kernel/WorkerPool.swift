import COpenBLAS
import Foundation
import _EqpropKernelThreads

/// The kernel's threads (Core/KernelThreads): large GEMMs and per-example loops are split into
/// parts that run on every core, so plugins use the machine without knowing about threads.
///
/// The count comes from `EQPROP_THREADS`, else from `OPENBLAS_NUM_THREADS` (the knob earlier
/// commands in the docs set), else the cores this process may use, shared with the other ranks
/// an MPI launcher put on this machine. OpenBLAS
/// is held at one thread: the kernel splits the work itself, which on EP's batch-20 shapes is
/// about 1.4 times faster than OpenBLAS's own threading (docs/PERFORMANCE.md).
public enum WorkerPool {
  /// Threads a job runs on, the caller included.
  public static var threads: Int {
    _ = configured
    return Int(eqp_pool_threads())
  }

  /// Sets the thread count (1 runs everything on the calling thread); for benchmarks and
  /// tests. Call it when no kernel call is running.
  public static func setThreads(_ count: Int) {
    _ = configured
    eqp_pool_set_threads(Int32(clamping: count))
  }

  /// Runs `body(p)` for p in 0..<parts on the pool and returns when all have finished. The
  /// parts must write disjoint memory; which thread runs which part is not fixed, so a part's
  /// result must not depend on it.
  static func run(parts: Int, _ body: (Int) -> Void) {
    _ = configured
    guard parts > 1 else {
      if parts == 1 { body(0) }
      return
    }
    withoutActuallyEscaping(body) { escapable in
      var job = escapable
      withUnsafeMutablePointer(to: &job) { pointer in
        eqp_pool_run(
          Int32(parts),
          { context, part in
            context?.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(part))
          }, pointer)
      }
    }
  }

  /// Runs `body(part, range)` on contiguous ranges covering 0..<count, one per thread (part <
  /// `threads`), when `parallel` (the caller's judgement that the work pays for a hand-off);
  /// as part 0 in one call otherwise. Ranges depend only on `count` and the thread count.
  static func forEachRange(_ count: Int, parallel: Bool, _ body: (Int, Range<Int>) -> Void) {
    let parts = parallel ? min(threads, count) : 1
    guard parts > 1 else {
      if count > 0 { body(0, 0..<count) }
      return
    }
    run(parts: parts) { part in body(part, part * count / parts..<(part + 1) * count / parts) }
  }

  /// Reads `EQPROP_THREADS` once and holds OpenBLAS at one thread.
  private static let configured: Void = {
    openblas_set_num_threads(1)
    eqp_pool_set_threads(Int32(clamping: requestedThreads()))
  }()

  private static func requestedThreads() -> Int {
    let environment = ProcessInfo.processInfo.environment
    let cores = defaultThreads(cores: ProcessInfo.processInfo.activeProcessorCount, environment: environment)
    guard
      let (name, text) = ["EQPROP_THREADS", "OPENBLAS_NUM_THREADS"].lazy
        .compactMap({ name in environment[name].map { (name, $0) } }).first
    else { return cores }
    guard let count = Int(text.trimmingCharacters(in: .whitespaces)), count >= 1 else {
      FileHandle.standardError.write(
        Data("eqprop: \(name)=\(text) is not a positive integer; using \(cores) threads\n".utf8))
      return cores
    }
    return count
  }

  /// The cores each process gets when nothing sets the count: all of them, or an equal share
  /// when a launcher started several ranks on this machine (`mpirun -np 2` on 2 cores would
  /// otherwise run 4 threads, 28 % slower on P-2h than 2 × 1).
  static func defaultThreads(cores: Int, environment: [String: String]) -> Int {
    let ranksHere =
      ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"].lazy
      .compactMap { environment[$0].flatMap { Int($0) } }.first ?? 1
    return max(1, cores / max(ranksHere, 1))
  }
}
