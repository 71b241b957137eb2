@preconcurrency import CEqprop

/// The kind of a plugin, as the host names it. The C constants are `EQP_KIND_*`.
public enum PluginKind: UInt32, Sendable, CaseIterable, Comparable {
  case model = 1
  case dynamics = 2
  case learner = 3
  /// ABI 1.3: joins the processes of a launcher's job (`EQP_CommunicatorVTable`).
  case communicator = 4

  public var name: String {
    switch self {
    case .model: return "model"
    case .dynamics: return "dynamics"
    case .learner: return "learner"
    case .communicator: return "communicator"
    }
  }

  /// Names of the capability bits this host knows for the kind, lowest bit first.
  var capabilityNames: [(bit: UInt64, name: String)] {
    switch self {
    case .model:
      return [
        (UInt64(EQP_MODEL_CAP_PHI), "phi"), (UInt64(EQP_MODEL_CAP_VJP), "vjp"),
        (UInt64(EQP_MODEL_CAP_F64), "f64"), (UInt64(EQP_MODEL_CAP_ENERGY), "energy"),
        (UInt64(EQP_MODEL_CAP_REENTRANT), "reentrant"), (UInt64(EQP_MODEL_CAP_STEP_UPDATE), "step_update"),
        (UInt64(EQP_MODEL_CAP_APPLY_STEP), "apply_step"),
      ]
    case .dynamics:
      return [
        (UInt64(EQP_DYNAMICS_CAP_STEP_VJP), "step_vjp"),
        (UInt64(EQP_DYNAMICS_CAP_PERSISTENT), "persistent"),
        (UInt64(EQP_DYNAMICS_CAP_F64), "f64"),
        (UInt64(EQP_DYNAMICS_CAP_EARLY_STOP), "early_stop"),
      ]
    case .learner:
      return [
        (UInt64(EQP_LEARNER_CAP_CONTINUAL), "continual"),
        (UInt64(EQP_LEARNER_CAP_NEEDS_VJP), "needs_vjp"), (UInt64(EQP_LEARNER_CAP_F64), "f64"),
      ]
    case .communicator:
      return []
    }
  }

  public static func < (a: PluginKind, b: PluginKind) -> Bool { a.rawValue < b.rawValue }
}

/// One config key a plugin accepts, as read from its `EQP_OptionSpec`.
public struct OptionInfo: Sendable, Equatable {
  public var name: String
  public var type: UInt32
  public var required: Bool
  public var defaultValue: String?
  public var doc: String
  public var min: Double?
  public var max: Double?
}

/// One extension function a plugin exports for libffi calls.
public struct FunctionInfo: @unchecked Sendable {
  public var name: String
  public var signature: FunctionSignature
  public var doc: String
  /// The C function, to be called through libffi with `signature`.
  let address: UnsafeRawPointer
}

/// The vtable of a validated plugin, copied to full size with absent fields NULL.
enum PluginVTable {
  case model(EQP_ModelVTable)
  case dynamics(EQP_DynamicsVTable)
  case learner(EQP_LearnerVTable)
  case communicator(EQP_CommunicatorVTable)
}

/// A validated plugin: what `eqprop plugins` lists and what sessions instantiate.
public final class PluginRecord: @unchecked Sendable {
  public let id: String
  public let kind: PluginKind
  public let displayName: String
  public let version: String
  public let description: String
  /// The capability bits as declared (bits unknown to this host included).
  public let capabilities: UInt64
  public let options: [OptionInfo]
  public let functions: [FunctionInfo]
  /// The library the plugin lives in.
  public let library: LoadedLibrary
  let vtable: PluginVTable

  init(
    id: String, kind: PluginKind, displayName: String, version: String, description: String,
    capabilities: UInt64, options: [OptionInfo], functions: [FunctionInfo],
    library: LoadedLibrary, vtable: PluginVTable
  ) {
    self.id = id
    self.kind = kind
    self.displayName = displayName
    self.version = version
    self.description = description
    self.capabilities = capabilities
    self.options = options
    self.functions = functions
    self.library = library
    self.vtable = vtable
  }

  /// The names of the declared capability bits this host knows; unknown bits as hex.
  public var capabilityNames: [String] {
    var names: [String] = []
    var known: UInt64 = 0
    for (bit, name) in kind.capabilityNames where capabilities & bit != 0 {
      names.append(name)
      known |= bit
    }
    let unknown = capabilities & ~known
    if unknown != 0 { names.append("0x" + String(unknown, radix: 16)) }
    return names
  }

  public var file: String { library.path }

  /// Runs the library's `init` on first use (once per library); a failure names this plugin,
  /// which needed it, and the file.
  public func initializeLibrary() throws(PluginFailure) {
    do {
      try library.initialize()
    } catch {
      throw PluginFailure("\(kind.name) '\(id)' (\(file)): \(error.message)")
    }
  }
}
