import ArgumentParser
import EqpropHost
import Foundation

/// `eqprop plot RUN`: the run's training curves as SVG.
struct PlotCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "plot",
    abstract: "Draw a run's training curves as SVG into RUN/plots/.",
    discussion: """
      Reads RUN/metrics.jsonl (which eqprop train writes) and draws error.svg (train and test \
      error per epoch, the running train error light beneath), loss.svg, updates.svg (each \
      parameter tensor's relative update size, log axis) and metrics.svg (one panel per other \
      metric); a figure whose data the run lacks is skipped with a notice. Prints the paths \
      written. The EP-vs-BPTT overlays of a gradient check come from \
      eqprop check gdu CONFIG --plot DIR.
      """)

  @Argument(help: ArgumentHelp("A run folder (holding metrics.jsonl).", valueName: "run"))
  var folder: String

  @Flag(help: "Print JSON: {\"plots\": [paths]}.")
  var json = false

  func run() throws {
    let paths: [String]
    do throws(RunPlotError) {
      paths = try RunPlot.write(run: folder)
    } catch {
      switch error {
      case .missingMetrics, .unreadable, .malformed: throw ValidationError(error.description)
      case .folder, .write:
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
      }
    }
    if json {
      // An array of strings always serialises.
      let data = try? JSONSerialization.data(
        withJSONObject: ["plots": paths], options: [.sortedKeys, .withoutEscapingSlashes])
      print(String(decoding: data ?? Data("{}".utf8), as: UTF8.self))
    } else {
      for path in paths { print(path) }
    }
  }
}
