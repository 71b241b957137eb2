@preconcurrency import CEqprop
import Synchronization

/// A plugin library that passed validation: its file, its self-description and its `init`,
/// which runs once, on first use, never at listing time (the entry must have no side effects).
public final class LoadedLibrary: @unchecked Sendable {
  public let path: String
  public let name: String
  public let version: String
  public let build: String
  public let abiMajor: UInt32
  public let abiMinor: UInt32
  public let requiredHostMinor: UInt32
  private let initFunction: (@convention(c) (UnsafePointer<EQP_HostApi>?, OpaquePointer?) -> EQP_Status)?
  private let initResult = Mutex<Result<Void, PluginFailure>?>(nil)

  init(
    path: String, name: String, version: String, build: String, abiMajor: UInt32,
    abiMinor: UInt32, requiredHostMinor: UInt32,
    initFunction: (@convention(c) (UnsafePointer<EQP_HostApi>?, OpaquePointer?) -> EQP_Status)?
  ) {
    self.path = path
    self.name = name
    self.version = version
    self.build = build
    self.abiMajor = abiMajor
    self.abiMinor = abiMinor
    self.requiredHostMinor = requiredHostMinor
    self.initFunction = initFunction
  }

  /// Calls the library's `init` the first time; later calls return the first outcome. The
  /// failure says what went wrong, not who needed it: see `PluginRecord.initializeLibrary`.
  func initialize() throws(PluginFailure) {
    let result = initResult.withLock { cached -> Result<Void, PluginFailure> in
      if let cached { return cached }
      let outcome = runInit()
      cached = outcome
      return outcome
    }
    try result.get()
  }

  private func runInit() -> Result<Void, PluginFailure> {
    guard let initFunction else { return .success(()) }
    let sink = ErrorSink()
    let status = initFunction(HostTables.api, sink.pointer)
    if status == EQP_Status(EQP_OK) { return .success(()) }
    return .failure(PluginFailure("init of library '\(name)' failed: \(sink.describe(status))"))
  }
}

/// A plugin call or library setup that failed, with the sentence to show.
public struct PluginFailure: Error, CustomStringConvertible, Sendable {
  public var message: String
  /// In a job of several processes, the rank whose failure every rank has learned of
  /// (`Communicator.agree`), so that all can stop cleanly; nil when the others may not know.
  public var agreedFrom: Int?
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
