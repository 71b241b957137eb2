@preconcurrency import CEqprop

/// Checks what a plugin library's entry returned, in the order of STYLE §2.9, and turns
/// each valid descriptor into a `PluginRecord`.
///
/// A problem with the library refuses the whole file; a problem with one descriptor refuses
/// that plugin alone. Every refusal names the file, the plugin (when known), the field and
/// what was found against what was expected.
struct LibraryValidator {
  let path: String
  let hostMajor = UInt32(EQP_ABI_MAJOR)
  let hostMinor = UInt32(EQP_ABI_MINOR)

  /// Outcome for one file: the library (nil when refused whole), its plugins and refusals.
  struct Outcome {
    var library: LoadedLibrary?
    var plugins: [PluginRecord] = []
    var refusals: [PluginRefusal] = []
  }

  func validate(entryResult: UnsafePointer<EQP_Library>?) -> Outcome {
    switch validateLibrary(entryResult) {
    case .failure(let refusal): return Outcome(library: nil, refusals: [refusal])
    case .success(let (library, descriptors)):
      var outcome = Outcome(library: library)
      var seen: [String: Int] = [:]
      for (index, descriptor) in descriptors.enumerated() {
        switch validateDescriptor(descriptor, index: index, library: library) {
        case .failure(let refusal): outcome.refusals.append(refusal)
        case .success(let record):
          let key = "\(record.kind.name)/\(record.id)"
          if let first = seen[key] {
            outcome.refusals.append(
              refuse(
                record.id,
                "declares \(record.kind.name) id '\(record.id)' twice (descriptors \(first) "
                  + "and \(index)); ids must be unique per kind"))
            outcome.plugins.removeAll { "\($0.kind.name)/\($0.id)" == key }
          } else {
            seen[key] = index
            outcome.plugins.append(record)
          }
        }
      }
      return outcome
    }
  }

  // MARK: The library record

  private func validateLibrary(_ entryResult: UnsafePointer<EQP_Library>?)
    -> Result<(LoadedLibrary, [UnsafeRawPointer?]), PluginRefusal>
  {
    guard let entryResult else {
      return .failure(
        refuse(
          nil,
          "eqp_plugin_entry returned NULL: the library declined to serve this host "
            + "(ABI \(hostMajor).\(hostMinor))"))
    }
    let raw = ForeignStruct<EQP_Library>(UnsafeRawPointer(entryResult))
    // The frozen prefix is readable in any major, so magic and versions come first.
    let magic = raw.base.load(
      fromByteOffset: MemoryLayout<EQP_Library>.offset(of: \.magic) ?? 8, as: UInt32.self)
    guard magic == UInt32(EQP_LIBRARY_MAGIC) else {
      return .failure(
        refuse(
          nil,
          "EQP_Library.magic is \(hex(magic)), expected \(hex(UInt32(EQP_LIBRARY_MAGIC))) "
            + "('EQP1'): not an eqprop plugin library, or a corrupt one"))
    }
    guard raw.size >= Int(EQP_Library_PREFIX_SIZE), let major = raw.read(\.abi_major),
      let minor = raw.read(\.abi_minor)
    else {
      return .failure(
        refuse(
          nil,
          "EQP_Library.struct_size is \(raw.size), smaller than the frozen prefix "
            + "(\(EQP_Library_PREFIX_SIZE) bytes: struct_size, magic, abi_major, abi_minor)"))
    }
    guard major == hostMajor else {
      return .failure(
        refuse(
          nil,
          "was built for ABI \(major).\(minor), but this host speaks ABI "
            + "\(hostMajor).\(hostMinor); major versions must match (rebuild the plugin "
            + "against this host's eqprop.h)"))
    }
    guard raw.size >= Int(EQP_Library_MIN_SIZE) else {
      return .failure(
        refuse(
          nil,
          "EQP_Library.struct_size is \(raw.size), below the \(EQP_Library_MIN_SIZE) bytes "
            + "ABI \(hostMajor).0 requires (through plugin_count)"))
    }
    let library = raw.zeroExtendedCopy(EQP_Library())
    if minor > hostMinor, library.required_host_minor > hostMinor {
      return .failure(
        refuse(
          nil,
          "requires a host of ABI \(hostMajor).\(library.required_host_minor) or newer (it "
            + "was built for \(major).\(minor)); this host is \(hostMajor).\(hostMinor): "
            + "update eqprop"))
    }
    guard library.plugin_count > 0 else {
      return .failure(refuse(nil, "EQP_Library.plugin_count is 0: the library has no plugins"))
    }
    guard let array = library.plugins else {
      return .failure(
        refuse(
          nil, "EQP_Library.plugins is NULL but plugin_count is \(library.plugin_count)"))
    }
    guard library.plugin_count <= 4096 else {
      return .failure(
        refuse(nil, "EQP_Library.plugin_count is \(library.plugin_count), more than 4096"))
    }
    let descriptors = (0..<library.plugin_count).map { array[$0].map(UnsafeRawPointer.init) }
    let loaded = LoadedLibrary(
      path: path, name: string(library.name) ?? fileName, version: string(library.version) ?? "",
      build: string(library.build) ?? "", abiMajor: major, abiMinor: minor,
      requiredHostMinor: library.required_host_minor, initFunction: library.`init`)
    return .success((loaded, descriptors))
  }

  // MARK: One descriptor

  private func validateDescriptor(
    _ pointer: UnsafeRawPointer?, index: Int, library: LoadedLibrary
  ) -> Result<PluginRecord, PluginRefusal> {
    guard let pointer else {
      return .failure(refuse(nil, "EQP_Library.plugins[\(index)] is NULL"))
    }
    let raw = ForeignStruct<EQP_PluginDescriptor>(pointer)
    guard raw.size >= Int(EQP_PluginDescriptor_MIN_SIZE) else {
      return .failure(
        refuse(
          nil,
          "EQP_PluginDescriptor.struct_size of plugins[\(index)] is \(raw.size), below the "
            + "\(EQP_PluginDescriptor_MIN_SIZE) bytes ABI 1.0 requires (through vtable)"))
    }
    let descriptor = raw.zeroExtendedCopy(EQP_PluginDescriptor())
    guard let id = string(descriptor.id) else {
      return .failure(refuse(nil, "EQP_PluginDescriptor.id of plugins[\(index)] is NULL"))
    }
    guard Self.isValidName(id, allowingHyphen: true) else {
      return .failure(
        refuse(
          id,
          "the id '\(id)' is not of the form [a-z0-9_-]+ (lowercase letters, digits, '_', "
            + "'-'; 1 to 64 characters)"))
    }
    guard let kind = PluginKind(rawValue: descriptor.kind) else {
      return .failure(
        refuse(
          id,
          "has kind \(descriptor.kind), unknown to this host (1 model, 2 dynamics, 3 learner, "
            + "4 communicator; a newer eqprop may know it)"))
    }
    guard let version = string(descriptor.version) else {
      return .failure(refuse(id, "EQP_PluginDescriptor.version is NULL"))
    }
    guard let vtablePointer = descriptor.vtable else {
      return .failure(refuse(id, "EQP_PluginDescriptor.vtable is NULL"))
    }
    let vtable: PluginVTable
    switch VTableValidator(plugin: id, kind: kind, capabilities: descriptor.capabilities)
      .validate(vtablePointer)
    {
    case .failure(let problem): return .failure(refuse(id, problem.reason))
    case .success(let table): vtable = table
    }
    let options: [OptionInfo]
    switch readOptions(descriptor, plugin: id) {
    case .failure(let refusal): return .failure(refusal)
    case .success(let list): options = list
    }
    let functions: [FunctionInfo]
    switch readFunctions(descriptor, plugin: id) {
    case .failure(let refusal): return .failure(refusal)
    case .success(let list): functions = list
    }
    return .success(
      PluginRecord(
        id: id, kind: kind, displayName: string(descriptor.display_name) ?? id,
        version: version, description: string(descriptor.description) ?? "",
        capabilities: descriptor.capabilities, options: options, functions: functions,
        library: library, vtable: vtable))
  }

  private func readOptions(_ descriptor: EQP_PluginDescriptor, plugin: String)
    -> Result<[OptionInfo], PluginRefusal>
  {
    guard descriptor.option_count > 0 else { return .success([]) }
    guard let array = descriptor.options, descriptor.option_count <= 1024 else {
      return .failure(
        refuse(
          plugin, "option_count is \(descriptor.option_count) but options is NULL or too long"))
    }
    var options: [OptionInfo] = []
    for index in 0..<descriptor.option_count {
      guard let element = array[index] else {
        return .failure(refuse(plugin, "options[\(index)] is NULL"))
      }
      let raw = ForeignStruct<EQP_OptionSpec>(UnsafeRawPointer(element))
      guard raw.size >= Int(EQP_OptionSpec_STRUCT_SIZE) else {
        return .failure(
          refuse(
            plugin,
            "EQP_OptionSpec.struct_size of options[\(index)] is \(raw.size), below "
              + "\(EQP_OptionSpec_STRUCT_SIZE)"))
      }
      let spec = raw.zeroExtendedCopy(EQP_OptionSpec())
      guard let name = string(spec.name), Self.isValidName(name, allowingHyphen: false) else {
        return .failure(
          refuse(plugin, "options[\(index)].name is NULL or not of the form [a-z0-9_]+"))
      }
      guard (UInt32(EQP_OPT_BOOL)...UInt32(EQP_OPT_TREE)).contains(spec.type) else {
        return .failure(
          refuse(plugin, "option '\(name)' has type \(spec.type), unknown to this host (1...7)"))
      }
      let required = spec.flags & UInt32(EQP_OPT_REQUIRED) != 0
      let defaultValue = string(spec.default_value)
      guard required || defaultValue != nil else {
        return .failure(
          refuse(plugin, "option '\(name)' is neither required nor given a default value"))
      }
      options.append(
        OptionInfo(
          name: name, type: spec.type, required: required, defaultValue: defaultValue,
          doc: string(spec.doc) ?? "",
          min: spec.flags & UInt32(EQP_OPT_HAS_MIN) != 0 ? spec.min : nil,
          max: spec.flags & UInt32(EQP_OPT_HAS_MAX) != 0 ? spec.max : nil))
    }
    let names = options.map(\.name)
    if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
      return .failure(refuse(plugin, "declares option '\(duplicate)' twice"))
    }
    return .success(options)
  }

  private func readFunctions(_ descriptor: EQP_PluginDescriptor, plugin: String)
    -> Result<[FunctionInfo], PluginRefusal>
  {
    guard descriptor.function_count > 0 else { return .success([]) }
    guard let array = descriptor.functions, descriptor.function_count <= 1024 else {
      return .failure(
        refuse(
          plugin,
          "function_count is \(descriptor.function_count) but functions is NULL or too long"))
    }
    var functions: [FunctionInfo] = []
    for index in 0..<descriptor.function_count {
      guard let element = array[index] else {
        return .failure(refuse(plugin, "functions[\(index)] is NULL"))
      }
      let raw = ForeignStruct<EQP_ExtensionFunction>(UnsafeRawPointer(element))
      guard raw.size >= Int(EQP_ExtensionFunction_STRUCT_SIZE) else {
        return .failure(
          refuse(
            plugin,
            "EQP_ExtensionFunction.struct_size of functions[\(index)] is \(raw.size), below "
              + "\(EQP_ExtensionFunction_STRUCT_SIZE)"))
      }
      let entry = raw.zeroExtendedCopy(EQP_ExtensionFunction())
      guard let name = string(entry.name), Self.isValidName(name, allowingHyphen: false) else {
        return .failure(
          refuse(plugin, "functions[\(index)].name is NULL or not of the form [a-z0-9_]+"))
      }
      guard let text = string(entry.signature) else {
        return .failure(refuse(plugin, "function '\(name)' has a NULL signature"))
      }
      let signature: FunctionSignature
      switch FunctionSignature.parse(text) {
      case .failure(let error):
        return .failure(refuse(plugin, "function '\(name)': signature \"\(text)\" \(error.reason)"))
      case .success(let parsed): signature = parsed
      }
      guard let address = entry.fn else {
        return .failure(refuse(plugin, "function '\(name)' has a NULL fn"))
      }
      functions.append(
        FunctionInfo(
          name: name, signature: signature, doc: string(entry.doc) ?? "",
          address: unsafeBitCast(address, to: UnsafeRawPointer.self)))
    }
    return .success(functions)
  }

  // MARK: Helpers

  private var fileName: String { path.split(separator: "/").last.map(String.init) ?? path }

  private func refuse(_ plugin: String?, _ reason: String) -> PluginRefusal {
    PluginRefusal(file: path, plugin: plugin, reason: reason)
  }

  private func string(_ pointer: UnsafePointer<CChar>?) -> String? {
    pointer.map { String(cString: $0) }
  }

  private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

  static func isValidName(_ name: String, allowingHyphen: Bool) -> Bool {
    guard (1...64).contains(name.utf8.count) else { return false }
    return name.utf8.allSatisfy { byte in
      (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 95
        || (allowingHyphen && byte == 45)
    }
  }
}

/// A file or plugin the host refused, with the sentence to show.
public struct PluginRefusal: Error, Sendable, Equatable, CustomStringConvertible {
  public var file: String
  /// The plugin's id when the refusal concerns one plugin of the file.
  public var plugin: String?
  public var reason: String

  public var description: String {
    if let plugin { return "\(file): plugin '\(plugin)': \(reason)" }
    return "\(file): \(reason)"
  }
}
