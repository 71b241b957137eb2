@preconcurrency import CEqprop
import Foundation

/// A `Communicator` backed by a communicator plugin (`EQP_CommunicatorVTable`, ABI 1.3), such
/// as `mpi`. The plugin's `create` (MPI_Init) runs once, in `init`; its `destroy`
/// (MPI_Finalize) runs in `close()`, which a command calls after the last collective of the
/// process, or at the latest when the object goes away.
public final class PluginCommunicator: Communicator {
  public let plugin: PluginRecord
  public let rank: Int
  public let size: Int
  public let library: String
  private let vtable: EQP_CommunicatorVTable
  /// nil once closed.
  private var instance: OpaquePointer?

  /// Joins the job through `plugin`; a failure names the plugin and the call.
  public init(_ plugin: PluginRecord) throws(PluginFailure) {
    guard case .communicator(let vtable) = plugin.vtable else {
      throw PluginFailure("\(plugin.kind.name) '\(plugin.id)' is not a communicator")
    }
    try plugin.initializeLibrary()
    var args = EQP_CommunicatorCreateArgs()
    args.struct_size = Int(EQP_CommunicatorCreateArgs_STRUCT_SIZE)
    let sink = ErrorSink()
    let created = try PluginCall.created(plugin, sink) { vtable.create(&args, &$0, sink.pointer) }
    let info: (rank: Int, size: Int, library: String)
    do {
      info = try Self.info(of: created, vtable, plugin)
    } catch {
      vtable.destroy(created)
      throw error
    }
    self.plugin = plugin
    self.vtable = vtable
    instance = created
    (rank, size, library) = info
  }

  deinit { close() }

  /// Leaves the job (the plugin's `destroy`: MPI_Finalize). Every rank calls it after its last
  /// collective; later calls do nothing, and a collective after it fails.
  public func close() {
    guard let instance else { return }
    self.instance = nil
    vtable.destroy(instance)
  }

  public func allreduceSum(_ buffer: UnsafeMutableRawPointer, count: Int, dtype: UInt32)
    throws(PluginFailure)
  {
    try call("allreduce_sum") { vtable.allreduce_sum($0, buffer, Int64(count), dtype, $1) }
  }

  public func broadcast(_ buffer: UnsafeMutableRawPointer, bytes: Int, root: Int)
    throws(PluginFailure)
  {
    try call("broadcast") { vtable.broadcast($0, buffer, Int64(bytes), Int64(root), $1) }
  }

  public func allgather(_ send: UnsafeRawPointer, into recv: UnsafeMutableRawPointer, counts: [Int])
    throws(PluginFailure)
  {
    guard counts.count == size else {
      throw PluginCall.failure(
        plugin, "allgather", "\(counts.count) counts given for a job of \(size) ranks")
    }
    let counts64 = counts.map { Int64($0) }
    try call("allgather") { instance, err in
      counts64.withUnsafeBufferPointer { vtable.allgather(instance, send, recv, $0.baseAddress, err) }
    }
  }

  public func barrier() throws(PluginFailure) {
    try call("barrier") { vtable.barrier($0, $1) }
  }

  public func abort(code: Int32) -> Never {
    if let instance { vtable.abort(instance, code) }
    // The plugin's abort does not return; without an instance there is no job left to end.
    exit(code)
  }

  /// Runs one vtable call on the instance with a fresh error sink; a failed status becomes a
  /// `PluginFailure` naming the plugin, its file and `name`.
  private func call(_ name: String, _ body: (OpaquePointer, OpaquePointer) -> EQP_Status)
    throws(PluginFailure)
  {
    guard let instance else {
      throw PluginCall.failure(plugin, name, "the communicator was closed")
    }
    let sink = ErrorSink()
    try PluginCall.check(body(instance, sink.pointer), sink, plugin, name)
  }

  /// Rank, size and library of a created instance, checked: 0 ≤ rank < size.
  private static func info(
    of instance: OpaquePointer, _ vtable: EQP_CommunicatorVTable, _ plugin: PluginRecord
  ) throws(PluginFailure) -> (rank: Int, size: Int, library: String) {
    var info = EQP_CommunicatorInfo()
    info.struct_size = Int(EQP_CommunicatorInfo_STRUCT_SIZE)
    let sink = ErrorSink()
    try PluginCall.check(vtable.info(instance, &info, sink.pointer), sink, plugin, "info")
    guard info.size >= 1, (0..<info.size).contains(info.rank) else {
      throw PluginCall.failure(
        plugin, "info", "rank \(info.rank) of size \(info.size); expected 0 ≤ rank < size")
    }
    // Zeroed before the call, so a library the plugin did not write reads as NULL.
    return (Int(info.rank), Int(info.size), info.library.map { String(cString: $0) } ?? plugin.id)
  }
}
