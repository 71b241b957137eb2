import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// `eqprop call` on a C plugin built after the host: every signature letter goes through
/// libffi and comes back as the exact value the C function computes.
final class CallCommandTests: XCTestCase {
  private var eqprop: String { RepositoryPaths.binaryFolder + "/eqprop" }
  private var folder = ""

  /// A config whose learner is the fixture's "ext", for the letters that need a session.
  private var config: String { folder + "/ext.yaml" }

  override func setUpWithError() throws {
    folder = try CPluginBuilder.temporaryFolder("eqprop-call")
    try CPluginBuilder.extensionFixture(into: folder)
    try """
    model: {id: dense, layers: [10, 16, 784]}
    dynamics: {id: discrete, free_steps: 3}
    learner: {id: ext}
    optimizer: {lr: [0.1, 0.1]}
    """.write(toFile: config, atomically: true, encoding: .utf8)
  }

  private func call(_ arguments: [String]) throws -> ProcessRunner.Result {
    try ProcessRunner.run(eqprop, ["call"] + arguments + ["--plugins", folder])
  }

  private func assertPrints(_ arguments: [String], _ expected: String, line: UInt = #line) throws {
    let result = try call(arguments)
    XCTAssertEqual(result.status, 0, result.standardError, line: line)
    XCTAssertEqual(result.standardOutput, expected, "\(arguments)", line: line)
  }

  private func assertRefused(
    _ arguments: [String], status: Int32, saying fragments: [String], line: UInt = #line
  )
    throws
  {
    let result = try call(arguments)
    XCTAssertEqual(result.status, status, result.standardOutput + result.standardError, line: line)
    for fragment in fragments {
      XCTAssertTrue(
        result.standardError.contains(fragment), "«\(result.standardError)» lacks «\(fragment)»",
        line: line)
    }
  }

  func testScalarArgumentsAndReturnTypes() throws {
    try assertPrints(["ext", "mix", "1", "0.5", "0.25", "3"], "3031.0\n")  // d(idfl)
    try assertPrints(["ext", "length", "héllo"], "6\n")  // l(s): UTF-8 bytes
    try assertPrints(["ext", "twice", "-21"], "-42\n")  // i(i), a negative value
    try assertPrints(["ext", "square", "3000000000"], "9000000000000000000\n")  // l(l)
    try assertPrints(["ext", "half", "0.2"], "0.1\n")  // f(f)
    try assertPrints(["learner:ext", "twice", "4"], "8\n")
    let json = try call(["ext", "half", "0.2", "--json"])
    XCTAssertEqual(
      json.standardOutput,
      "{\"args\":[\"0.2\"],\"function\":\"half\",\"kind\":\"learner\",\"plugin\":\"ext\",\"result\":0.1,"
        + "\"signature\":\"f(f)\"}\n")
  }

  func testSessionLettersPassTheInstanceThetaAndANamedTensor() throws {
    try assertRefused(["ext", "batches"], status: 64, saying: ["d(p)", "give --config CONFIG"])
    try assertPrints(["ext", "batches", "--config", config], "0.0\n")  // d(p): p is ext's instance
    try assertPrints(["ext", "reset", "--config", config], "")  // v(p) prints nothing
    let void = try call(["ext", "reset", "--config", config, "--json"])
    XCTAssertTrue(void.standardOutput.contains("\"result\":null"), void.standardOutput)
    // l(t): W1x is 16 × 784 → 1000 · 2 + 12 544.
    try assertPrints(["ext", "elements", "W1x", "--config", config], "14544\n")
    try assertRefused(
      ["ext", "elements", "W9", "--config", config], status: 1,
      saying: [
        "learner 'ext'", "function 'elements' (l(t))", "no θ tensor 'W9'", "W01, b0, W1x, b1",
      ])
    // d(pP): θ's first tensor (W01, 10 × 16) read from saved weights, all 0.25.
    let weights = try savedWeights(firstTensorValue: 0.25)
    try assertPrints(["ext", "theta_sum", "--config", config, "--weights", weights], "40.0\n")
  }

  func testBadArgumentsNameThePositionTypeAndSignature() throws {
    try assertRefused(
      ["ext", "mix", "1", "2"], status: 64,
      saying: ["learner:ext.mix", "signature d(idfl) takes 4 arguments", "l (int64)", "found 2"])
    try assertRefused(
      ["ext", "mix", "1", "x", "3", "4"], status: 64,
      saying: [
        "argument 2 of learner:ext.mix: expected d (double) of signature d(idfl), found \"x\""
      ])
    try assertRefused(
      ["ext", "twice", "3000000000"], status: 64, saying: ["argument 1", "expected i (int32)"])
  }

  func testFailureReportedThroughTheSinkNamesPluginAndFunction() throws {
    try assertRefused(
      ["ext", "fail"], status: 1,
      saying: ["learner 'ext'", "function 'fail' (i(e)) failed", "ext: fail refuses on purpose"])
  }

  func testUnknownPluginOrFunctionListsWhatExists() throws {
    try assertRefused(
      ["exx", "mix"], status: 64,
      saying: ["no plugin 'exx'; did you mean 'ext'?", "learner:ext", "model:dense"])
    try assertRefused(
      ["ext", "mixx"], status: 64,
      saying: ["has no function 'mixx'; did you mean 'mix'?", "half f(f)"])
    try assertRefused(
      ["modle:ext", "mix"], status: 64, saying: ["'modle' in 'modle:ext' is not a plugin kind"])
  }

  func testMalformedSignatureRefusedAtLoadIsExplainedByCall() throws {
    let bad = try CPluginBuilder.temporaryFolder("eqprop-call-bad")
    let file = try CPluginBuilder.extensionFixture(["EXTENSION_BAD_SIGNATURE"], into: bad)
    let result = try ProcessRunner.run(eqprop, ["call", "ext", "twice", "2", "--plugins", bad])
    XCTAssertEqual(result.status, 64)
    for fragment in [
      "no plugin 'ext'", "refused: \(file): plugin 'ext'", "function 'mix'", "\"d(idfx)\"",
    ] {
      XCTAssertTrue(
        result.standardError.contains(fragment), "«\(result.standardError)» lacks «\(fragment)»")
    }
  }

  /// A weights file for `config` whose first θ tensor holds `value` everywhere.
  private func savedWeights(firstTensorValue value: Float) throws -> String {
    let catalog = PluginCatalog.load(
      PluginSearchPath(folders: [folder, RepositoryPaths.binaryFolder]))
    let session = try TrainingSession(
      config: RunConfig.load(file: config, catalog: catalog), trainingExamples: 0)
    let count = session.parameterBytes(0).count / MemoryLayout<Float>.size
    let bytes = [Float](repeating: value, count: count).withUnsafeBytes { Array($0) }
    try session.setParameterBytes(0, bytes)
    try RunFolder.save(session, to: folder + "/run")
    return folder + "/run/" + RunFolder.weightsName
  }
}
