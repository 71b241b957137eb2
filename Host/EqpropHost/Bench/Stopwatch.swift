import Foundation

/// Timing for benchmarks: medians of several repeats, each long enough to rise above the
/// clock's resolution and a shared machine's jitter.
public enum Stopwatch {
  /// Median seconds per call of each body over `repeats` rounds; within a round the bodies
  /// run one after the other, so a burst of other work on the machine hits them alike and
  /// their ratio stays meaningful.
  public static func medians(repeats: Int = 5, minimum: Double = 0.05, _ bodies: [() -> Void]) -> [Double] {
    var calls: [Int] = []
    for body in bodies { calls.append(calibrate(minimum, body)) }
    var samples = bodies.map { _ in [Double]() }
    for _ in 0..<repeats {
      for (index, body) in bodies.enumerated() {
        samples[index].append(time(calls[index], body) / Double(calls[index]))
      }
    }
    return samples.map { $0.sorted()[$0.count / 2] }
  }

  /// How many calls of `body` take at least `minimum` seconds.
  private static func calibrate(_ minimum: Double, _ body: () -> Void) -> Int {
    var calls = 1
    while true {
      let elapsed = time(calls, body)
      if elapsed >= minimum { return calls }
      calls *= elapsed > 0 ? max(2, Int(minimum / elapsed) + 1) : 10
    }
  }

  private static func time(_ calls: Int, _ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<calls { body() }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }
}
