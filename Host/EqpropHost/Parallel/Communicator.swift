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
    var result = values + [0]  // never empty, so it has an address
    try result.withUnsafeMutableBufferPointer { (buffer) throws(PluginFailure) in
      try allreduceSum(buffer.baseAddress!, count: values.count, dtype: UInt32(EQP_DTYPE_F64))
    }
    return Array(result.dropLast())
  }

  /// Rank `root`'s bytes on every rank (their count need not be known elsewhere).
  public func broadcast(_ bytes: [UInt8], root: Int = 0) throws(PluginFailure) -> [UInt8] {
    var count = [Int64(bytes.count)]
    try count.withUnsafeMutableBufferPointer { (buffer) throws(PluginFailure) in
      try broadcast(buffer.baseAddress!, bytes: 8, root: root)
    }
    var result = (rank == root ? bytes : [UInt8](repeating: 0, count: Int(count[0]))) + [0]
    try result.withUnsafeMutableBufferPointer { (buffer) throws(PluginFailure) in
      try broadcast(buffer.baseAddress!, bytes: Int(count[0]), root: root)
    }
    return Array(result.dropLast())
  }

  /// Every rank's `bytes`, indexed by rank (their sizes need not be known elsewhere).
  public func allgather(_ bytes: [UInt8]) throws(PluginFailure) -> [[UInt8]] {
    var counts = [Int64](repeating: 0, count: size)
    var mine = [Int64(bytes.count)]
    try mine.withUnsafeMutableBufferPointer { (send) throws(PluginFailure) in
      try counts.withUnsafeMutableBufferPointer { (recv) throws(PluginFailure) in
        try allgather(
          send.baseAddress!, into: recv.baseAddress!, counts: [Int](repeating: 8, count: size))
      }
    }
    let sizes = counts.map { Int($0) }
    let joined = try allgather(bytes, counts: sizes)
    var parts: [[UInt8]] = []
    var offset = 0
    for count in sizes {
      parts.append(Array(joined[offset..<offset + count]))
      offset += count
    }
    return parts
  }

  /// Every rank's `bytes` back to back in rank order, when rank r gives counts[r] of them.
  func allgather(_ bytes: [UInt8], counts: [Int]) throws(PluginFailure) -> [UInt8] {
    // One spare byte each: an empty array may have no address, and the call must be made.
    var send = bytes + [0]
    var joined = [UInt8](repeating: 0, count: counts.reduce(0, +) + 1)
    try send.withUnsafeMutableBufferPointer { (source) throws(PluginFailure) in
      try joined.withUnsafeMutableBufferPointer { (target) throws(PluginFailure) in
        try allgather(UnsafeRawPointer(source.baseAddress!), into: target.baseAddress!, counts: counts)
      }
    }
    joined.removeLast()
    return joined
  }
}
