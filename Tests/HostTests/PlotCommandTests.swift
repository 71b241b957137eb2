import Foundation
import TestSupport
import XCTest

/// `eqprop plot RUN` through the built binary: prints the figures' paths, as JSON on request,
/// and refuses a bad metrics file with its line number.
final class PlotCommandTests: XCTestCase {
  private var eqprop: String { RepositoryPaths.binaryFolder + "/eqprop" }

  func testPrintsThePathsOfTheFiguresItWrote() throws {
    let run = try MetricsFixture()
    defer { try? FileManager.default.removeItem(atPath: run.folder) }
    try run.write(MetricsFixture.lines(epochs: 2, windows: 2, tensors: ["W01"], extra: []))
    let expected = ["error.svg", "loss.svg", "updates.svg"].map { run.folder + "/plots/" + $0 }

    let result = try ProcessRunner.run(eqprop, ["plot", run.folder])
    XCTAssertEqual(result.status, 0, result.standardError)
    XCTAssertEqual(result.standardOutput, expected.map { $0 + "\n" }.joined())
    XCTAssertTrue(result.standardError.contains("skipped metrics.svg"), result.standardError)
    for path in expected { XCTAssertTrue(FileManager.default.fileExists(atPath: path), path) }

    let json = try ProcessRunner.run(eqprop, ["plot", run.folder, "--json"])
    XCTAssertEqual(json.status, 0, json.standardError)
    let object = try XCTUnwrap(
      JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
    XCTAssertEqual(object["plots"] as? [String], expected)
  }

  func testRefusesAMalformedLineNamingFileAndLine() throws {
    let run = try MetricsFixture()
    defer { try? FileManager.default.removeItem(atPath: run.folder) }
    try run.write([#"{"kind":"epoch","progress":1}"#, "{oops", #"{"kind":"epoch","progress":2}"#])
    let result = try ProcessRunner.run(eqprop, ["plot", run.folder])
    XCTAssertNotEqual(result.status, 0)
    XCTAssertTrue(
      result.standardError.contains(run.metricsPath + " line 2: not a JSON object"),
      result.standardError)
  }

  func testHelpPointsToTheCheckOverlays() throws {
    let result = try ProcessRunner.run(eqprop, ["plot", "--help"])
    XCTAssertEqual(result.status, 0)
    // Help wraps to the terminal's width: compare words, not lines.
    let words = result.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    XCTAssertTrue(words.contains("eqprop check gdu CONFIG --plot DIR"), result.standardOutput)
  }
}
