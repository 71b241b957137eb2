@preconcurrency import CEqprop

/// `host->config`: typed reads of a plugin's resolved options.
enum ConfigApi {
  static func make() -> EQP_HostConfigApi {
    var table = EQP_HostConfigApi()
    table.struct_size = Int(EQP_HostConfigApi_STRUCT_SIZE)
    table.get_bool = { options, key, out, err in
      ConfigApi.read(options, key, err, "a boolean") { value -> Bool in
        guard case .bool(let flag) = value else { return false }
        out?.pointee = flag ? 1 : 0
        return true
      }
    }
    table.get_i64 = { options, key, out, err in
      ConfigApi.read(options, key, err, "an integer") { value -> Bool in
        guard case .int(let number) = value else { return false }
        out?.pointee = number
        return true
      }
    }
    table.get_f64 = { options, key, out, err in
      ConfigApi.read(options, key, err, "a number") { value -> Bool in
        guard let number = value.number else { return false }
        out?.pointee = number
        return true
      }
    }
    table.get_str = { options, key, out, err in
      ConfigApi.read(options, key, err, "a string") { value -> Bool in
        guard case .string(let text) = value, let options, let key else { return false }
        out?.pointee = PluginOptions.from(options).cString(String(cString: key), text)
        return true
      }
    }
    table.get_count = { options, key, out, err in
      ConfigApi.read(options, key, err, "a list or a map") { value -> Bool in
        switch value {
        case .list(let elements): out?.pointee = elements.count
        case .map(let entries): out?.pointee = entries.count
        default: return false
        }
        return true
      }
    }
    table.get_i64_list = { options, key, buffer, capacity, count, err in
      ConfigApi.read(options, key, err, "a list of integers") { value -> Bool in
        guard case .list(let elements) = value else { return false }
        var numbers: [Int64] = []
        for element in elements {
          guard case .int(let number) = element else { return false }
          numbers.append(number)
        }
        count?.pointee = numbers.count
        for (index, number) in numbers.prefix(capacity).enumerated() { buffer?[index] = number }
        return true
      }
    }
    table.get_f64_list = { options, key, buffer, capacity, count, err in
      ConfigApi.read(options, key, err, "a list of numbers") { value -> Bool in
        guard case .list(let elements) = value else { return false }
        let numbers = elements.compactMap(\.number)
        guard numbers.count == elements.count else { return false }
        count?.pointee = numbers.count
        for (index, number) in numbers.prefix(capacity).enumerated() { buffer?[index] = number }
        return true
      }
    }
    table.path = { options in options.map { UnsafePointer(PluginOptions.from($0).cPath) } }
    return table
  }

  /// Looks `key` up and lets `store` convert it; reports NOT_FOUND or a type mismatch.
  private static func read(
    _ options: OpaquePointer?, _ key: UnsafePointer<CChar>?, _ err: OpaquePointer?,
    _ expected: String, _ store: (ConfigValue) -> Bool
  ) -> EQP_Status {
    func refuse(_ code: Int, _ message: String) -> EQP_Status {
      if let err { ErrorSink.from(err).set(EQP_Status(code), message) }
      return EQP_Status(code)
    }
    guard let options, let key else {
      return refuse(EQP_ERR_INVALID_ARGUMENT, "config: options or key is NULL")
    }
    let handle = PluginOptions.from(options)
    let name = String(cString: key)
    guard let value = handle.lookup(name) else {
      return refuse(EQP_ERR_NOT_FOUND, "\(handle.path).\(name): not in the config")
    }
    guard store(value) else {
      return refuse(
        EQP_ERR_INVALID_ARGUMENT,
        "\(handle.path).\(name): must be \(expected), found \(value.typeName) (\(value.flowText))")
    }
    return EQP_Status(EQP_OK)
  }
}
