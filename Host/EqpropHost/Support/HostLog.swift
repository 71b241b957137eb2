@preconcurrency import CEqprop
import Logging
import Synchronization

/// The host's log, through swift-log; plugin lines arrive here from `host->log->write`.
public enum HostLog {
  private static let logger = Mutex(makeLogger(level: .notice))

  /// Sets the lowest level shown (the CLI's `--log-level`).
  public static func setLevel(_ level: Logger.Level) {
    logger.withLock { $0.logLevel = level }
  }

  /// The names `--log-level` accepts, lowest first: trace, debug, info, notice, warning,
  /// error, critical.
  public static let levelNames = Logger.Level.allCases.map(\.rawValue)

  /// Sets the lowest level shown by its name; false for a name not in `levelNames`.
  public static func setLevel(named name: String) -> Bool {
    guard let level = Logger.Level(rawValue: name) else { return false }
    setLevel(level)
    return true
  }

  static func write(level: Int32, source: String?, message: String) {
    let swiftLevel = Self.level(level)
    logger.withLock { logger in
      logger.log(level: swiftLevel, "\(message)", metadata: source.map { ["plugin": "\($0)"] })
    }
  }

  /// A host notice (shadowed plugins, refused files).
  public static func notice(_ message: String) {
    logger.withLock { $0.notice("\(message)") }
  }

  public static func warning(_ message: String) {
    logger.withLock { $0.warning("\(message)") }
  }

  /// What a run does that a user may want to follow (resuming, checkpoints written).
  public static func info(_ message: String) {
    logger.withLock { $0.info("\(message)") }
  }

  static func isEnabled(_ level: Int32) -> Bool {
    let swiftLevel = Self.level(level)
    return logger.withLock { $0.logLevel <= swiftLevel }
  }

  private static func level(_ level: Int32) -> Logger.Level {
    switch Int(level) {
    case EQP_LOG_TRACE: return .trace
    case EQP_LOG_DEBUG: return .debug
    case EQP_LOG_INFO: return .info
    case EQP_LOG_NOTICE: return .notice
    case EQP_LOG_WARNING: return .warning
    default: return .error
    }
  }

  private static func makeLogger(level: Logger.Level) -> Logger {
    var logger = Logger(label: "eqprop") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = level
    return logger
  }
}
