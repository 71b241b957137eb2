@preconcurrency import CEqprop

/// The processes of one job as the host sees them (`EQP_CommunicatorVTable`, ABI 1.3): a rank,
/// a size and the collectives data-parallel training and sweeps need. Every method but
/// `abort` is collective: each rank calls it in the same order with matching sizes.
public protocol Communicator: AnyObject {
  /// This process, 0 ≤ rank < size.
  var rank: Int { get }
  /// Processes in the job.
  var size: Int { get }
  /// What carries the messages ("single process", "Open MPI v4.1.4"), for run.json.
  var library: String { get }
  /// buffer[0..<count] ← the sum over ranks, bitwise the same on every rank; dtype is
  /// EQP_DTYPE_F32, _F64 or _I64.
  func allreduceSum(_ buffer: UnsafeMutableRawPointer, count: Int, dtype: UInt32) throws(PluginFailure)
  /// Rank `root`'s first `bytes` bytes of buffer, copied into every rank's buffer.
  func broadcast(_ buffer: UnsafeMutableRawPointer, bytes: Int, root: Int) throws(PluginFailure)
  /// Rank r's counts[r] bytes from `send`, every rank's back to back at `recv` in rank order.
  func allgather(_ send: UnsafeRawPointer, into recv: UnsafeMutableRawPointer, counts: [Int])
    throws(PluginFailure)
  /// Returns when every rank has called it.
  func barrier() throws(PluginFailure)
  /// Ends every process of the job with `code`: after an error on one rank, the others would
  /// otherwise wait forever in their next collective.
  func abort(code: Int32) -> Never
  /// Leaves the job (MPI_Finalize), after this process's last collective; later calls do
  /// nothing. Commands call it once, at the end.
  func close()
}

extension Communicator {
  /// Nothing to leave: a job of one process, or one that needs no goodbye.
  public func close() {}

  /// Whether this process writes the run folder, the metrics and the checkpoints.
  public var isLeader: Bool { rank == 0 }

  /// Element-wise sums over ranks of `values`.
  public func sum(_ values: [Double]) throws(PluginFailure) -> [Double] {
    var result = values
    try result.withUnsafeMutableBufferPointer { (buffer) throws(PluginFailure) in
      guard let base = buffer.baseAddress else { return }
      try allreduceSum(base, count: buffer.count, dtype: UInt32(EQP_DTYPE_F64))
    }
    return result
  }

  /// Rank `root`'s bytes on every rank (their count need not be known elsewhere).
  public func broadcast(_ bytes: [UInt8], root: Int = 0) throws(PluginFailure) -> [UInt8] {
    var count = Int64(bytes.count)
    try withUnsafeMutablePointer(to: &count) { (pointer) throws(PluginFailure) in
      try broadcast(pointer, bytes: 8, root: root)
    }
    var result = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count))
    try result.withUnsafeMutableBufferPointer { (buffer) throws(PluginFailure) in
      guard let base = buffer.baseAddress else { return }
      try broadcast(base, bytes: buffer.count, root: root)
    }
    return result
  }

  /// Every rank's `bytes`, indexed by rank (their sizes need not be known elsewhere).
  public func allgather(_ bytes: [UInt8]) throws(PluginFailure) -> [[UInt8]] {
    let counts = try allgatherCounts(bytes.count)
    var joined = [UInt8](repeating: 0, count: counts.reduce(0, +))
    try bytes.withUnsafeBufferPointer { (send) throws(PluginFailure) in
      try joined.withUnsafeMutableBufferPointer { (recv) throws(PluginFailure) in
        // A zero-length array may have no address; the call still has to be made.
        var empty: UInt8 = 0
        try withUnsafeMutablePointer(to: &empty) { (spare) throws(PluginFailure) in
          try allgather(
            send.baseAddress ?? UnsafePointer(spare), into: recv.baseAddress ?? spare,
            counts: counts)
        }
      }
    }
    var parts: [[UInt8]] = []
    var offset = 0
    for count in counts {
      parts.append(Array(joined[offset..<offset + count]))
      offset += count
    }
    return parts
  }

  /// Every rank's `count`, indexed by rank.
  private func allgatherCounts(_ count: Int) throws(PluginFailure) -> [Int] {
    var mine = Int64(count)
    var all = [Int64](repeating: 0, count: size)
    try withUnsafePointer(to: &mine) { (send) throws(PluginFailure) in
      try all.withUnsafeMutableBufferPointer { (recv) throws(PluginFailure) in
        guard let base = recv.baseAddress else { return }
        try allgather(send, into: base, counts: [Int](repeating: 8, count: size))
      }
    }
    return all.map { Int($0) }
  }
}
