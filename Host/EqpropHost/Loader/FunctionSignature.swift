/// A checked extension-function signature (STYLE §2.4): `RET(ARGS)`, one letter per type.
///
/// RET is one of `v i l f d`; ARGS are `i l f d s p t P e` (int32, int64, float, double,
/// C string, plugin instance, tensor, the session's θ, error sink).
public struct FunctionSignature: Sendable, Equatable, CustomStringConvertible {
  public enum ReturnType: Character, Sendable {
    case void = "v", int32 = "i", int64 = "l", float = "f", double = "d"
  }
  public enum ArgumentType: Character, Sendable {
    case int32 = "i", int64 = "l", float = "f", double = "d", string = "s"
    case instance = "p", tensor = "t", params = "P", error = "e"
  }

  public var returnType: ReturnType
  public var arguments: [ArgumentType]

  public var description: String {
    "\(returnType.rawValue)(\(String(arguments.map(\.rawValue))))"
  }

  /// Parses `text`, or explains in one sentence what is wrong with it.
  public static func parse(_ text: String) -> Result<FunctionSignature, SignatureError> {
    let characters = Array(text)
    guard let first = characters.first else {
      return .failure(SignatureError("is empty; expected e.g. \"d(pP)\""))
    }
    guard let returnType = ReturnType(rawValue: first) else {
      return .failure(
        SignatureError("starts with '\(first)', which is no return type (one of v i l f d)"))
    }
    guard characters.count >= 3, characters[1] == "(", characters.last == ")" else {
      return .failure(SignatureError("must be RET(ARGS), e.g. \"d(pP)\""))
    }
    var arguments: [ArgumentType] = []
    for (offset, letter) in characters[2..<(characters.count - 1)].enumerated() {
      guard let argument = ArgumentType(rawValue: letter) else {
        return .failure(
          SignatureError(
            "has '\(letter)' at position \(offset + 3), which is no argument type "
              + "(one of i l f d s p t P e)"))
      }
      arguments.append(argument)
    }
    for once in [ArgumentType.instance, .params, .error]
    where arguments.filter({ $0 == once }).count > 1 {
      return .failure(SignatureError("takes '\(once.rawValue)' more than once"))
    }
    return .success(FunctionSignature(returnType: returnType, arguments: arguments))
  }
}

/// Why a signature string was refused: a fragment completed by the loader with the plugin
/// and function names.
public struct SignatureError: Error, Sendable, Equatable {
  public var reason: String
  init(_ reason: String) { self.reason = reason }
}
