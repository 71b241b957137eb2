extension Communicator {
  /// Runs `body` on every rank and, when it failed on any, throws on every rank: a failed
  /// rank its own error, the others the first failed rank's sentence, each with `agreedFrom`
  /// naming that first rank. Setting up a run goes through this, so that no rank waits in a
  /// collective that a failed one never reaches.
  public func agree<T>(_ body: () throws(PluginFailure) -> T) throws(PluginFailure) -> T {
    let outcome: Result<T, PluginFailure>
    do {
      outcome = .success(try body())
    } catch {
      outcome = .failure(error)
    }
    guard size > 1 else { return try outcome.get() }
    // A rank that succeeded sends nothing; a failed one its sentence (never empty).
    var sentence: [UInt8] = []
    if case .failure(let error) = outcome { sentence = Array(("failed: " + error.message).utf8) }
    let sentences = try allgather(sentence)
    guard let failed = sentences.firstIndex(where: { !$0.isEmpty }) else { return try outcome.get() }
    // Each rank keeps its own error; all name the first failed rank as the one to speak.
    var error =
      if case .failure(let own) = outcome { own } else {
        PluginFailure(
          "rank \(failed) \(String(decoding: sentences[failed], as: UTF8.self)); this rank stops too")
      }
    error.agreedFrom = failed
    throw error
  }

  /// Runs `body` on rank 0 alone (writing the run folder), the others waiting for its outcome.
  public func onLeader(_ body: () throws(PluginFailure) -> Void) throws(PluginFailure) {
    try agree { () throws(PluginFailure) in if isLeader { try body() } }
  }

  /// Rank 0's `value`, on every rank.
  public func broadcastLeader(_ value: Int) throws(PluginFailure) -> Int {
    var word = [Int64(value)]
    try word.withUnsafeMutableBufferPointer { (buffer) throws(PluginFailure) in
      try broadcast(buffer.baseAddress!, bytes: 8, root: 0)
    }
    return Int(word[0])
  }
}
