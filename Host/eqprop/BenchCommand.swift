import ArgumentParser
import EqpropHost

/// `eqprop bench`: measured speed with the machine beside it.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure the kernel's GEMM on EP's shapes against the raw BLAS call and the machine's sgemm peak.",
    discussion: """
      Every figure is the median of --repeats timed repeats (each at least --seconds) and is printed \
      with the machine, its BLAS threads (OPENBLAS_NUM_THREADS) and the load average at the start.
      """)

  @Option(help: "Timed repeats per figure (the median is reported).")
  var repeats = 5

  @Option(help: "Seconds each timed repeat lasts at least.")
  var seconds = 0.05

  @Flag(help: "Print JSON instead of a table.")
  var json = false

  func run() throws {
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, found \(repeats)") }
    guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive, found \(seconds)") }
    let machine = MachineDescription.current()
    let bench = KernelBench(repeats: repeats, minimum: seconds)
    let peak = bench.squarePeak()
    var kernel: [(batch: Int, rows: [KernelBench.Row])] = []
    for batch in [20, 128] {
      kernel.append((batch, try bench.run(KernelBench.shapes(batch: batch))))
    }
    let report = BenchReport(machine: machine, peak: peak, kernel: kernel)
    print(json ? report.json : report.table)
  }
}
