import EqpropHost
import Foundation

/// One rank of a pretend job whose other ranks ran before it, one after another in this
/// process: `allgather` hands back what they sent, recorded in `sent`, beside this rank's own
/// bytes (which it records there in turn). A rank that runs before another sees it send
/// nothing. Enough for `Communicator.allgather([UInt8])`; the other collectives do nothing.
final class RecordedRanks: Communicator {
  let rank: Int
  let size: Int
  /// Each rank's last allgather payload, by rank.
  var sent: [[UInt8]]
  /// `allgather([UInt8])` makes two raw calls: the sizes, then the bytes.
  private var calls = 0

  init(rank: Int, size: Int, sent: [[UInt8]]) {
    self.rank = rank
    self.size = size
    self.sent = sent
  }

  var library: String { "recorded ranks" }

  func allgather(_ send: UnsafeRawPointer, into recv: UnsafeMutableRawPointer, counts: [Int]) {
    let mine = Array(UnsafeRawBufferPointer(start: send, count: counts[rank]))
    let sizes = calls % 2 == 0
    calls += 1
    if !sizes { sent[rank] = mine }
    var offset = 0
    for other in 0..<size {
      let part: [UInt8]
      if other == rank {
        part = mine
      } else if sizes {
        part = withUnsafeBytes(of: Int64(sent[other].count)) { Array($0) }
      } else {
        part = sent[other]
      }
      part.withUnsafeBytes { bytes in
        if let base = bytes.baseAddress {
          (recv + offset).copyMemory(from: base, byteCount: bytes.count)
        }
      }
      offset += counts[other]
    }
  }

  func allreduceSum(_ buffer: UnsafeMutableRawPointer, count: Int, dtype: UInt32) {}
  func broadcast(_ buffer: UnsafeMutableRawPointer, bytes: Int, root: Int) {}
  func barrier() {}
  func abort(code: Int32) -> Never { fatalError("rank \(rank) aborted the job with \(code)") }
}
