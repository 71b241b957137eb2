import ArgumentParser
import EqpropHost
import Foundation

/// `eqprop check gdu|rbp CONFIG`: the seeds' equivalence results, measured.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Gradient-matching checks in float64: EP vs BPTT (gdu) or EP vs RBP (rbp).",
    discussion: """
      gdu compares EP's per-step updates with BPTT through the last K steps of the free phase \
      (Ernoult et al. 2019); rbp compares EP's second-phase temporal derivatives with recurrent \
      backpropagation at the fixed point (Scellier & Bengio 2019). Prints the relative error \
      per layer and weight matrix (spec §4), the update/gradient angle and sign agreement. \
      Exits 1 when the worst relative error exceeds --max-rel-error.
      """)

  @Argument(help: "gdu or rbp.")
  var mode: String

  @Argument(help: "A YAML config with dtype: f64 and a check: section (see examples/).")
  var config: String

  @OptionGroup var settings: ConfigSettingOptions

  @Option(help: "β, replacing check.beta.")
  var beta: Double?

  @Option(help: "K, replacing check.nudged_steps.")
  var steps: Int?

  @Flag(help: "Also run β = 1e-2 … 1e-6 and report how the error falls.")
  var betaSweep = false

  @Option(help: "Fail (exit 1) when the worst relative error is above this.")
  var maxRelError: Double?

  @Option(help: "A data folder (MNIST-format IDX or CIFAR-10 binary) or a name: mnist, fashion-mnist.")
  var data: String?

  @OptionGroup(title: "Plugins")
  var plugins: PluginSearchOptions

  @Flag(help: "Print JSON instead of tables.")
  var json = false

  @Option(help: "Write SVG figures (series and RelMSE bars) into this folder.")
  var plot: String?

  func validate() throws {
    guard GDUCheck.Mode(rawValue: mode) != nil else {
      throw ValidationError("the check is \"\(mode)\"; expected gdu or rbp")
    }
  }

  func run() throws {
    let catalog = plugins.catalog
    let runConfig: RunConfig
    do {
      runConfig = try RunConfig.load(file: config, catalog: catalog, overrides: .init(settings: settings.values, data: data))
    } catch {
      throw ValidationError(error.message)
    }
    let checkMode = GDUCheck.Mode(rawValue: mode) ?? .gdu
    var results: [GDUResult] = []
    do throws(PluginFailure) {
      let job = try CheckJob(config: runConfig)
      results.append(try job.run(checkMode, beta: beta, steps: steps))
      if betaSweep {
        for sweepBeta in [1e-2, 1e-3, 1e-4, 1e-5, 1e-6] {
          results.append(try job.run(checkMode, beta: sweepBeta, steps: steps))
        }
      }
    } catch {
      FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
      throw ExitCode(1)
    }
    if let plot {
      do {
        try FileManager.default.createDirectory(atPath: plot, withIntermediateDirectories: true)
        for result in results {
          let prefix = "\(mode)-beta\(GDUReport.format(result.beta))"
          for path in try GDUPlots.write(result, to: plot, prefix: prefix) {
            FileHandle.standardError.write(Data("wrote \(path)\n".utf8))
          }
        }
      } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
      }
    }
    if json {
      print(GDUReport.json(results))
    } else {
      print(GDUReport.table(results[0]))
      if betaSweep { print(GDUReport.sweepTable(Array(results.dropFirst()))) }
    }
    if let maxRelError, let worst = results.first?.worst, !(worst <= maxRelError) {
      FileHandle.standardError.write(
        Data("check failed: worst relative error \(worst) > --max-rel-error \(maxRelError)\n".utf8))
      throw ExitCode(1)
    }
  }
}
