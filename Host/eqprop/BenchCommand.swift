import ArgumentParser
import EqpropHost
import Foundation

/// `eqprop bench`: measured speed and memory with the machine beside them.
struct BenchCommand: ParsableCommand {
  enum Section: String, CaseIterable, ExpressibleByArgument {
    case kernel, dynamics, memory
  }

  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure the kernel's GEMM, the dynamics' steps and the learners' memory.",
    discussion: """
      kernel: GEMM on EP's shapes against the raw BLAS call and the machine's square-sgemm \
      peak; dynamics: steps per second and GFLOP/s of dense 1h/2h/3h and P-conv at batch 20 \
      and 128; memory: the state sets EP and BPTT hold as T grows. Every timing is the median \
      of --repeats repeats (each at least --seconds) and is printed with the machine, its \
      kernel threads (EQPROP_THREADS) and the load average at the start.
      """)

  @Option(help: "Sections to run (repeatable): kernel, dynamics, memory; all when absent.")
  var section: [Section] = []

  @Option(help: "Timed repeats per figure (the median is reported).")
  var repeats = 5

  @Option(help: "Seconds each timed repeat lasts at least.")
  var seconds = 0.05

  @OptionGroup(title: "Plugins")
  var plugins: PluginSearchOptions

  @Option(help: "A training config to time (repeatable): minibatches of random data, each config in a process of its own, --repeats times (the median is reported).")
  var train: [String] = []

  @OptionGroup(title: "Settings of every --train config")
  var settings: ConfigSettingOptions

  @Option(help: "Minibatches timed per --train config, after one warm-up batch.")
  var batches = 20

  @Option(help: .hidden)
  var trainOne: String?

  @Flag(help: "Print JSON instead of a table.")
  var json = false

  func run() throws {
    guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, found \(repeats)") }
    guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive, found \(seconds)") }
    guard batches >= 1 else { throw ValidationError("--batches must be at least 1, found \(batches)") }
    let catalog = plugins.catalog
    if let trainOne {
      // The child of --train: one config, its row as JSON.
      let row = try TrainingBench(batches: batches)
        .run(file: trainOne, settings: settings.values, catalog: catalog)
      var report = BenchReport(machine: MachineDescription.current())
      report.training = [row]
      return print(report.json)
    }
    let sections = Set(section.isEmpty ? (train.isEmpty ? Section.allCases : []) : section)
    var report = BenchReport(machine: MachineDescription.current())
    let kernelBench = KernelBench(repeats: repeats, minimum: seconds)
    // Every timed section prints the same run's peak: figures from different runs drift.
    if sections.contains(.kernel) || sections.contains(.dynamics) || !train.isEmpty {
      report.peak = kernelBench.squarePeak()
    }
    if sections.contains(.kernel) {
      for batch in [20, 128] { report.kernel.append((batch, try kernelBench.run(KernelBench.shapes(batch: batch)))) }
    }
    if sections.contains(.dynamics) {
      report.dynamics = try DynamicsBench(repeats: repeats, minimum: seconds)
        .run(DynamicsBench.networks, batches: [20, 128], catalog: catalog)
    }
    if sections.contains(.memory) {
      report.memory = try MemoryBench().run(freeSteps: [25, 50, 100, 200], catalog: catalog)
    }
    report.training = try medianTrainingRows()
    print(json ? report.json : report.table)
  }

  /// Each --train config timed --repeats times, the configs taking turns so that a slow
  /// spell of the machine hits them alike; the median run of each, with the spread.
  private func medianTrainingRows() throws -> [TrainingBench.Row] {
    var runs = [[TrainingBench.Row]](repeating: [], count: train.count)
    for _ in 0..<repeats {
      for (index, file) in train.enumerated() { runs[index].append(try timeInChild(file)) }
    }
    return runs.compactMap(TrainingBench.Row.median(of:))
  }

  /// Runs `eqprop bench --train-one FILE` and reads its row.
  private func timeInChild(_ file: String) throws -> TrainingBench.Row {
    let process = Process()
    // This very executable, however it was invoked (a bare `eqprop` found on PATH included).
    process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    process.arguments =
      ["bench", "--train-one", file, "--batches", "\(batches)", "--json"]
      + plugins.arguments + settings.values.flatMap { ["--set", $0.argument] }
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
      let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      let rows = object["training"] as? [[String: Any]], let row = rows.first.flatMap(TrainingBench.Row.init(json:))
    else {
      throw ValidationError("bench: timing \(file) failed (exit status \(process.terminationStatus))")
    }
    return row
  }
}
