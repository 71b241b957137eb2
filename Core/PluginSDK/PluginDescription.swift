@preconcurrency import CEqprop

/// The kind of a plugin. The corresponding C constants are `EQP_KIND_*`.
public enum PluginKind: UInt32, Sendable {
  case model = 1
  case dynamics = 2
  case learner = 3
}

/// The type of a config option. The corresponding C constants are `EQP_OPT_*`.
public enum OptionType: UInt32, Sendable {
  case bool = 1
  case int = 2
  case float = 3
  case string = 4
  case intList = 5
  case floatList = 6
  case tree = 7
}

/// One key a plugin accepts in its config section (`EQP_OptionSpec`).
public struct OptionDescription: Sendable {
  public var name: String
  public var type: OptionType
  /// YAML flow text of the default; nil makes the option required.
  public var defaultValue: String?
  public var doc: String
  public var min: Double?
  public var max: Double?

  public init(
    _ name: String, _ type: OptionType, default defaultValue: String?, doc: String,
    min: Double? = nil, max: Double? = nil
  ) {
    self.name = name
    self.type = type
    self.defaultValue = defaultValue
    self.doc = doc
    self.min = min
    self.max = max
  }
}

/// One plugin of a library (`EQP_PluginDescriptor`).
public struct PluginDescription {
  public var kind: PluginKind
  public var id: String
  public var displayName: String
  public var version: String
  public var capabilities: UInt64
  /// The kind's vtable, in permanent storage (`PermanentStorage.value`).
  public var vtable: UnsafeRawPointer
  public var description: String
  public var options: [OptionDescription]

  public init(
    kind: PluginKind, id: String, displayName: String, version: String, capabilities: UInt64,
    vtable: UnsafeRawPointer, description: String, options: [OptionDescription]
  ) {
    self.kind = kind
    self.id = id
    self.displayName = displayName
    self.version = version
    self.capabilities = capabilities
    self.vtable = vtable
    self.description = description
    self.options = options
  }
}

/// Builds the static `EQP_Library` a plugin's `eqp_plugin_entry` returns.
public enum LibraryBuilder {
  /// The library record for `plugins`, in permanent storage. Its `init` installs the host
  /// table into `PluginHost`.
  /// `requiredHostMinor`: the oldest host minor whose tables hold every entry the plugins
  /// call (0 for what ABI 1.0 has).
  public static func make(
    name: String, version: String, plugins: [PluginDescription], requiredHostMinor: UInt32 = 0
  ) -> UnsafePointer<EQP_Library> {
    var library = EQP_Library()
    library.struct_size = Int(EQP_Library_STRUCT_SIZE)
    library.magic = UInt32(EQP_LIBRARY_MAGIC)
    library.abi_major = UInt32(EQP_ABI_MAJOR)
    library.abi_minor = UInt32(EQP_ABI_MINOR)
    library.required_host_minor = requiredHostMinor
    library.name = PermanentStorage.cString(name)
    library.version = PermanentStorage.cString(version)
    library.build = PermanentStorage.cString("Swift plugin built with the eqprop SDK")
    library.plugins = PermanentStorage.pointerArray(plugins.map(descriptor))
    library.plugin_count = plugins.count
    library.`init` = { api, err in PluginHost.install(api, err: err) }
    return PermanentStorage.value(library)
  }

  static func descriptor(_ plugin: PluginDescription) -> EQP_PluginDescriptor {
    var descriptor = EQP_PluginDescriptor()
    descriptor.struct_size = Int(EQP_PluginDescriptor_STRUCT_SIZE)
    descriptor.kind = plugin.kind.rawValue
    descriptor.id = PermanentStorage.cString(plugin.id)
    descriptor.display_name = PermanentStorage.cString(plugin.displayName)
    descriptor.version = PermanentStorage.cString(plugin.version)
    descriptor.capabilities = plugin.capabilities
    descriptor.vtable = plugin.vtable
    descriptor.description = PermanentStorage.cString(plugin.description)
    descriptor.options = PermanentStorage.pointerArray(plugin.options.map(optionSpec))
    descriptor.option_count = plugin.options.count
    return descriptor
  }

  static func optionSpec(_ option: OptionDescription) -> EQP_OptionSpec {
    var spec = EQP_OptionSpec()
    spec.struct_size = Int(EQP_OptionSpec_STRUCT_SIZE)
    spec.name = PermanentStorage.cString(option.name)
    spec.type = option.type.rawValue
    var flags = option.defaultValue == nil ? UInt32(EQP_OPT_REQUIRED) : 0
    if let min = option.min {
      flags |= UInt32(EQP_OPT_HAS_MIN)
      spec.min = min
    }
    if let max = option.max {
      flags |= UInt32(EQP_OPT_HAS_MAX)
      spec.max = max
    }
    spec.flags = flags
    spec.default_value = PermanentStorage.cString(option.defaultValue)
    spec.doc = PermanentStorage.cString(option.doc)
    return spec
  }
}
