import Foundation

/// A job of one process: what every command uses when no launcher started eqprop. Its
/// collectives have nobody to wait for.
public final class SingleProcess: Communicator {
  public init() {}

  public var rank: Int { 0 }
  public var size: Int { 1 }
  public var library: String { "single process" }

  public func allreduceSum(_ buffer: UnsafeMutableRawPointer, count: Int, dtype: UInt32) {}

  public func broadcast(_ buffer: UnsafeMutableRawPointer, bytes: Int, root: Int) {}

  public func allgather(_ send: UnsafeRawPointer, into recv: UnsafeMutableRawPointer, counts: [Int]) {
    recv.copyMemory(from: send, byteCount: counts.first ?? 0)
  }

  public func barrier() {}

  public func abort(code: Int32) -> Never { exit(code) }
}
