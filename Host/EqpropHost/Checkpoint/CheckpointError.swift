/// Why a checkpoint could not be written or read, as a sentence naming the file, the tensor
/// where one is at fault, and the problem.
public struct CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The checkpoint's path.
  public var file: String
  /// The tensor at fault, when the problem concerns one.
  public var tensor: String?
  /// What is wrong: what was found and what was expected.
  public var reason: String

  public init(file: String, tensor: String? = nil, reason: String) {
    self.file = file
    self.tensor = tensor
    self.reason = reason
  }

  public var description: String {
    if let tensor { return "\(file): tensor '\(tensor)': \(reason)" }
    return "\(file): \(reason)"
  }
}
