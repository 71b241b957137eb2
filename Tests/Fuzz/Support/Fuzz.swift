import CLibFuzzer
@preconcurrency import Glibc

/// The test of this process, set once by `fuzz` before libFuzzer starts and never changed
/// after: libFuzzer calls a C function, which can capture nothing.
nonisolated(unsafe) private var test: (([UInt8]) -> Void)?

/// Runs libFuzzer with the command line's flags and corpus folders, calling `body` on each
/// input; a trap in `body` is a finding. Exits with libFuzzer's status.
///
/// The target's `main` calls this, because SwiftPM links an executable's `main` in place of
/// libFuzzer's; `-sanitize=fuzzer` still links libFuzzer's, which needs `fuzzOne` below.
public func fuzz(_ body: @escaping ([UInt8]) -> Void) -> Never {
  test = body
  var argc = CommandLine.argc
  var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
  exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
}

/// One input, as libFuzzer hands it over.
@c(LLVMFuzzerTestOneInput)
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  guard let test else { fatalError("the fuzz target's main never called fuzz(_:)") }
  test(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}

/// Traps with `message` unless `condition` holds: a property every accepted input must have.
/// Unlike `precondition`, it keeps its message in a release build, so a finding says what broke.
public func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}
