/// Which communicator a command uses (`--communicator auto|none|ID`).
public enum CommunicatorChoice: Equatable, Sendable {
  /// The `mpi` plugin when a launcher started this process, else a single process.
  case automatic
  /// A job of one process, even under a launcher: each rank then runs alone.
  case singleProcess
  /// The communicator plugin with this id.
  case plugin(String)

  /// `auto`, `none` or a plugin id; nil for anything else.
  public init?(_ text: String) {
    switch text {
    case "auto": self = .automatic
    case "none": self = .singleProcess
    default:
      guard LibraryValidator.isValidName(text, allowingHyphen: true) else { return nil }
      self = .plugin(text)
    }
  }
}
