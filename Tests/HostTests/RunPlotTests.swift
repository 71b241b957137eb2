import Foundation
import XCTest

@testable import EqpropHost

/// `RunPlot.write`: a run's metrics.jsonl becomes error, loss, update and metric figures, with
/// one line per series, and bad files are refused with their line number.
final class RunPlotTests: XCTestCase {
  private var run: MetricsFixture!

  override func setUpWithError() throws {
    run = try MetricsFixture()
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(atPath: run.folder)
  }

  /// Three epochs of four windows, two update tensors and one other metric.
  private func writeFullRun() throws {
    try run.write(
      MetricsFixture.lines(
        epochs: 3, windows: 4, tensors: ["W01", "W12"], extra: ["free_residual"]))
  }

  private func figure(_ name: String) throws -> ParsedSVG {
    try ParsedSVG(String(contentsOfFile: run.folder + "/plots/" + name, encoding: .utf8))
  }

  /// Each series path's name (its `<title>`, the element after it) and how many points it draws.
  private func seriesPoints(_ svg: ParsedSVG) -> [String: Int] {
    var points: [String: Int] = [:]
    for (path, title) in zip(svg.elements, svg.elements.dropFirst())
    where path.attributes["class"] == "series" && title.name == "title" {
      // "Mx,y Lx,y x,y …": one comma per point.
      points[title.text] = (path.attributes["d"] ?? "").filter { $0 == "," }.count
    }
    return points
  }

  func testAFullRunGetsFourFiguresInItsPlotsFolder() throws {
    try writeFullRun()
    let paths = try RunPlot.write(run: run.folder)
    XCTAssertEqual(
      paths,
      ["error.svg", "loss.svg", "updates.svg", "metrics.svg"].map { run.folder + "/plots/" + $0 })
    for path in paths {
      let svg = try ParsedSVG(String(contentsOfFile: path, encoding: .utf8))
      XCTAssertTrue(svg.allCoordinatesAreFinite, path)
      XCTAssertEqual(
        svg.text(of: "title").first, URL(fileURLWithPath: run.folder).lastPathComponent)
    }
  }

  func testTheErrorFigureDrawsRunningTrainAndEpochCurvesInPercent() throws {
    try writeFullRun()
    _ = try RunPlot.write(run: run.folder)
    let svg = try figure("error.svg")
    XCTAssertEqual(seriesPoints(svg), ["train, running": 12, "train": 3, "test": 3])
    let light = svg.named("path").filter { $0.attributes["stroke-opacity"] != nil }
    XCTAssertEqual(light.count, 1, "the running error is light")
    XCTAssertEqual(svg.named("circle").filter { $0.attributes["class"] == "mark" }.count, 6)
    for label in ["Error", "epoch", "error (%)", "train, running", "train", "test"] {
      XCTAssertTrue(svg.texts.contains(label), "\(label) in \(svg.texts)")
    }
    // 0.2 / 0.25 = 80 % is the highest running error: the axis reaches it in percent.
    XCTAssertTrue(svg.texts.contains("80"), "\(svg.texts)")
    XCTAssertTrue(svg.texts.contains("0"), "epochs start at 0: \(svg.texts)")
  }

  func testTheLossFigureHasTheSameCurves() throws {
    try writeFullRun()
    _ = try RunPlot.write(run: run.folder)
    let svg = try figure("loss.svg")
    XCTAssertEqual(seriesPoints(svg), ["train, running": 12, "train": 3, "test": 3])
    XCTAssertTrue(svg.texts.contains("loss"))
  }

  func testUpdatesHaveOneLinePerTensorOnALogAxisLabelledInDecades() throws {
    try writeFullRun()
    _ = try RunPlot.write(run: run.folder)
    let svg = try figure("updates.svg")
    XCTAssertEqual(seriesPoints(svg), ["W01": 12, "W12": 12], "the windows, not the epoch lines")
    XCTAssertTrue(svg.texts.contains("W01") && svg.texts.contains("W12"), "legend: \(svg.texts)")
    // From 1e-6 (W12 after 3 epochs) to 1e-2.25: every decade between is labelled.
    for decade in ["1e-6", "1e-5", "1e-4", "1e-3", "1e-2"] {
      XCTAssertTrue(svg.texts.contains(decade), "\(decade) in \(svg.texts)")
    }
    XCTAssertTrue(svg.texts.contains("relative update"))
  }

  func testOtherMetricsGetAPanelEach() throws {
    try run.write(
      MetricsFixture.lines(epochs: 2, windows: 3, tensors: [], extra: ["free_steps", "saturation"]))
    let paths = try RunPlot.write(run: run.folder)
    XCTAssertEqual(
      paths.map { URL(fileURLWithPath: $0).lastPathComponent },
      ["error.svg", "loss.svg", "metrics.svg"])
    let svg = try figure("metrics.svg")
    XCTAssertTrue(svg.texts.contains("free_steps") && svg.texts.contains("saturation"))
    XCTAssertEqual(
      seriesPoints(svg), ["running": 6, "epoch": 2], "one panel per metric, same counts")
    XCTAssertEqual(svg.named("path").filter { $0.attributes["class"] == "series" }.count, 4)
    XCTAssertFalse(FileManager.default.fileExists(atPath: run.folder + "/plots/updates.svg"))
  }

  func testARunOfOneEpochStillPlotsItsPoints() throws {
    try run.write(MetricsFixture.lines(epochs: 1, windows: 0, tensors: ["W01"], extra: []))
    let paths = try RunPlot.write(run: run.folder)
    XCTAssertEqual(paths.count, 3)
    let svg = try figure("error.svg")
    XCTAssertEqual(Set(seriesPoints(svg).keys), ["train", "test"])
    XCTAssertEqual(svg.named("circle").filter { $0.attributes["class"] == "mark" }.count, 2)
    XCTAssertTrue(svg.allCoordinatesAreFinite)
  }

  func testARunInItsFirstEpochDrawsItsRunningCurvesInFull() throws {
    let lines = MetricsFixture.lines(epochs: 1, windows: 3, tensors: [], extra: ["free_steps"])
    try run.write(lines.filter { $0.contains(#""kind":"batches""#) })
    _ = try RunPlot.write(run: run.folder)
    let error = try figure("error.svg")
    XCTAssertEqual(seriesPoints(error), ["train, running": 3])
    XCTAssertTrue(error.named("path").allSatisfy { $0.attributes["stroke-opacity"] == nil })
    let metrics = try figure("metrics.svg")
    XCTAssertEqual(seriesPoints(metrics), ["": 3])
    XCTAssertFalse(metrics.texts.contains("running"), "a lone curve needs no legend")
  }

  func testAnEmptyFileDrawsNothing() throws {
    try run.write([])
    XCTAssertEqual(try RunPlot.write(run: run.folder), [])
    XCTAssertFalse(FileManager.default.fileExists(atPath: run.folder + "/plots"))
  }

  // MARK: Reading

  func testUnknownKindsFieldsAndBlankLinesAreIgnoredAndNullIsNoValue() throws {
    try run.write([
      #"{"kind":"config","whatever":[1,2]}"#,
      "",
      #"{"kind":"epoch","progress":1,"train_error":0.5,"test_error":null,"new_field":{"a":1},"metrics":{"x":null}}"#,
    ])
    let history = try MetricsHistory.read(file: run.metricsPath)
    XCTAssertEqual(history.epochs.count, 1)
    XCTAssertTrue(history.windows.isEmpty)
    XCTAssertEqual(history.epochs.first?.trainError, 0.5)
    XCTAssertTrue(history.epochs.first?.testError.isNaN ?? false)
    XCTAssertTrue(history.epochs.first?.trainLoss.isNaN ?? false, "absent means no value")
    XCTAssertTrue(history.detailedCurve(metric: "x").values.first?.isNaN ?? false)
  }

  func testAResumedRunKeepsTheLinesWrittenLast() throws {
    let lines = [1.0, 2, 3, 2, 3, 4].enumerated().map { index, progress in
      MetricsFixture.json(["kind": "epoch", "progress": progress, "train_error": Double(index)])
    }
    try run.write(lines)
    let history = try MetricsHistory.read(file: run.metricsPath)
    XCTAssertEqual(history.epochs.map(\.progress), [1, 2, 3, 4])
    XCTAssertEqual(history.epochs.map(\.trainError), [0, 3, 4, 5])
  }

  func testALineBeingWrittenAtTheEndIsSkipped() throws {
    let complete = MetricsFixture.lines(epochs: 1, windows: 2, tensors: [], extra: [])
    try (complete.joined(separator: "\n") + "\n" + #"{"kind":"batches","progr"#)
      .write(toFile: run.metricsPath, atomically: true, encoding: .utf8)
    let history = try MetricsHistory.read(file: run.metricsPath)
    XCTAssertEqual(history.windows.count, 2)
    XCTAssertEqual(history.epochs.count, 1)
  }

  func testAMalformedLineIsRefusedWithItsFileAndNumber() throws {
    let good = MetricsFixture.lines(epochs: 1, windows: 1, tensors: [], extra: [])
    let cases: [(line: String, reason: String)] = [
      ("not json", "not a JSON object"),
      ("[1, 2]", "not a JSON object"),
      (#"{"progress":1}"#, "no \"kind\" field"),
      (#"{"kind":3,"progress":1}"#, "\"kind\" is not a string"),
      (#"{"kind":"epoch","train_error":0.1}"#, "needs a finite \"progress\""),
      (#"{"kind":"epoch","progress":1,"train_error":"low"}"#, "\"train_error\" is not a number"),
      (#"{"kind":"batches","progress":0.5,"metrics":[1]}"#, "\"metrics\" is not an object"),
      (
        #"{"kind":"batches","progress":0.5,"metrics":{"update/W01":"big"}}"#,
        "\"metrics.update/W01\" is not a number"
      ),
    ]
    for (line, reason) in cases {
      try run.write(good + [line] + good)
      XCTAssertThrowsError(try RunPlot.write(run: run.folder), line) { error in
        guard case .malformed(let path, let number, let found) = error as? RunPlotError else {
          return XCTFail("\(error)")
        }
        XCTAssertEqual(path, run.metricsPath)
        XCTAssertEqual(number, 3, line)
        XCTAssertTrue(found.contains(reason), "«\(found)» lacks «\(reason)»")
        XCTAssertTrue("\(error)".hasPrefix(run.metricsPath + " line 3: "), "\(error)")
      }
    }
  }

  func testAMissingFileSaysWhatWritesIt() throws {
    XCTAssertThrowsError(try RunPlot.write(run: run.folder)) { error in
      let message = "\(error)"
      XCTAssertTrue(message.hasPrefix(run.metricsPath), message)
      XCTAssertTrue(message.contains("eqprop train"), message)
    }
  }
}
