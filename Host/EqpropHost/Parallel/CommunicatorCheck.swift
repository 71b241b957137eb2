@preconcurrency import CEqprop

/// What `eqprop communicator` runs: every collective of a `Communicator`, with values whose
/// results are known, so a cluster user sees at once whether the MPI setup works. Every rank
/// runs it (the calls are collective); a result that disagrees throws a sentence naming the
/// collective, the rank and the values.
public enum CommunicatorCheck {
  /// Element counts of the sums: one, a few, and one past 2 Mi elements, so that MPI's
  /// large-message path (and a plugin's chunking, built with a small chunk) runs too.
  static let sumCounts = [1, 1000, (1 << 21) + 1]
  /// Bytes of the broadcasts.
  static let broadcastSizes = [1, 1000, (1 << 22) + 7]

  /// Runs the checks and returns the line rank 0 prints, e.g. "2 ranks over Open MPI
  /// v4.1.4: allreduce_sum, broadcast, allgather, barrier agree".
  public static func run(_ communicator: any Communicator) throws(PluginFailure) -> String {
    try checkRanks(communicator)
    for count in sumCounts {
      try checkSum(communicator, Float.self, UInt32(EQP_DTYPE_F32), count: count)
      try checkSum(communicator, Double.self, UInt32(EQP_DTYPE_F64), count: count)
      try checkSum(communicator, Int64.self, UInt32(EQP_DTYPE_I64), count: count)
    }
    try checkSameBits(communicator)
    for bytes in broadcastSizes { try checkBroadcast(communicator, bytes: bytes) }
    try checkAllgather(communicator)
    // Last: rank 0 passes it only once every rank has passed every check, so its line speaks
    // for all (a rank that saw a wrong value aborts the job instead of reaching it).
    try communicator.barrier()
    let ranks = communicator.size == 1 ? "1 rank" : "\(communicator.size) ranks"
    let carrier =
      communicator is SingleProcess ? "(single process)" : "over \(communicator.library)"
    return "\(ranks) \(carrier): allreduce_sum, broadcast, allgather, barrier agree"
  }

  /// Every rank's rank, gathered: 0, 1, … size − 1, each once.
  private static func checkRanks(_ c: any Communicator) throws(PluginFailure) {
    let ranks = try c.allgather(withUnsafeBytes(of: Int64(c.rank)) { Array($0) })
      .map { bytes in bytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } }
    guard ranks == (0..<c.size).map(Int64.init) else {
      throw mismatch("allgather of the ranks", c, "got \(ranks), expected 0 ..< \(c.size)")
    }
  }

  /// Rank r contributes r + 1 in every element; each sum is size(size + 1)/2, exact in every
  /// dtype up to 5792 ranks. Beyond, f32 cannot hold it and skips the check (on every rank).
  private static func checkSum<T: Numeric & CustomStringConvertible>(
    _ c: any Communicator, _ type: T.Type, _ dtype: UInt32, count: Int
  ) throws(PluginFailure) {
    guard let mine = T(exactly: c.rank + 1), let expected = T(exactly: c.size * (c.size + 1) / 2)
    else { return }
    var values = [T](repeating: mine, count: count)
    try values.withUnsafeMutableBufferPointer { (buffer) throws(PluginFailure) in
      guard let base = buffer.baseAddress else { return }
      try c.allreduceSum(base, count: count, dtype: dtype)
    }
    if let index = values.firstIndex(where: { $0 != expected }) {
      throw mismatch(
        "allreduce_sum (\(T.self), \(count) values)", c,
        "element \(index) is \(values[index]), expected \(expected)")
    }
  }

  /// Sums that round (1/(rank + 3 + i mod 7) in f64) must still give every rank the same bits
  /// (the header's promise, so that replicas of θ never drift apart).
  private static func checkSameBits(_ c: any Communicator) throws(PluginFailure) {
    var values = (0..<1000).map { 1.0 / Double(c.rank + 3 + $0 % 7) }
    try values.withUnsafeMutableBufferPointer { (buffer) throws(PluginFailure) in
      guard let base = buffer.baseAddress else { return }
      try c.allreduceSum(base, count: buffer.count, dtype: UInt32(EQP_DTYPE_F64))
    }
    let mine = values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian) { Array($0) } }
    let everyone = try c.allgather(mine)
    if let other = everyone.firstIndex(where: { $0 != everyone[0] }) {
      throw mismatch(
        "allreduce_sum (Double, 1000 rounded values)", c,
        "rank \(other) received other bits than rank 0")
    }
  }

  /// The last rank broadcasts a pattern; every rank must end with it.
  private static func checkBroadcast(_ c: any Communicator, bytes: Int) throws(PluginFailure) {
    let root = c.size - 1
    let pattern = (0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    var buffer = c.rank == root ? pattern : [UInt8](repeating: 0, count: bytes)
    try buffer.withUnsafeMutableBufferPointer { (bytes) throws(PluginFailure) in
      guard let base = bytes.baseAddress else { return }
      try c.broadcast(base, bytes: bytes.count, root: root)
    }
    if let index = firstDifference(buffer[...], pattern) {
      throw mismatch(
        "broadcast (\(bytes) bytes from rank \(root))", c,
        "byte \(index) is \(buffer[index]), expected \(pattern[index])")
    }
  }

  /// Unequal contributions, rank 1's empty: rank r sends 1000(r + 1) + r bytes of its own
  /// pattern.
  private static func checkAllgather(_ c: any Communicator) throws(PluginFailure) {
    let counts = (0..<c.size).map { $0 == 1 ? 0 : 1000 * ($0 + 1) + $0 }
    let patterns = (0..<c.size).map { r in
      (0..<counts[r]).map { UInt8(truncatingIfNeeded: r &* 37 &+ $0) }
    }
    var received = [UInt8](repeating: 0, count: counts.reduce(0, +))
    try patterns[c.rank].withUnsafeBufferPointer { (send) throws(PluginFailure) in
      try received.withUnsafeMutableBufferPointer { (recv) throws(PluginFailure) in
        // An empty array may have no address; the call is collective and still made.
        var spare: UInt8 = 0
        try withUnsafeMutablePointer(to: &spare) { (spare) throws(PluginFailure) in
          try c.allgather(
            send.baseAddress ?? UnsafePointer(spare), into: recv.baseAddress ?? spare,
            counts: counts)
        }
      }
    }
    var offset = 0
    for (r, pattern) in patterns.enumerated() {
      if let index = firstDifference(received[offset..<offset + pattern.count], pattern) {
        throw mismatch(
          "allgather (counts \(counts))", c,
          "byte \(index) of rank \(r)'s part is \(received[offset + index]), expected "
            + "\(pattern[index])")
      }
      offset += pattern.count
    }
  }

  /// The first position, counted from 0, where `bytes` differs from `expected` (same count).
  private static func firstDifference(_ bytes: ArraySlice<UInt8>, _ expected: [UInt8]) -> Int? {
    guard !bytes.elementsEqual(expected) else { return nil }
    return zip(bytes, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
  }

  private static func mismatch(_ collective: String, _ c: any Communicator, _ detail: String)
    -> PluginFailure
  {
    PluginFailure("\(collective) disagrees on rank \(c.rank) of \(c.size): \(detail)")
  }
}
