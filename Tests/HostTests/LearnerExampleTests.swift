import Foundation
import TestSupport
import XCTest

/// The learner examples of docs/PLUGINS.md (examples/c-learner in C, example-ep in Swift), run
/// by the unchanged host.
final class LearnerExampleTests: XCTestCase {
  /// Built with the one `cc` command its header comment shows, dropped into a folder, and run
  /// for a few batches; the host binary stays as it was.
  func testCLearnerTrainsThroughTheUnchangedHost() throws {
    let eqprop = RepositoryPaths.binaryFolder + "/eqprop"
    let hash = { () throws -> String in
      try ProcessRunner.run("/usr/bin/env", ["sha256sum", eqprop]).standardOutput
    }
    let before = try hash()
    let plugins = try CPluginBuilder.example("c-learner/ep_random_sign.c", name: "ep_random_sign")
    let run = try ExampleRun("c-learner/p1h-ep-c.yaml", plugins: plugins, train: 100, test: 100)
    XCTAssertTrue((0...1).contains(try XCTUnwrap(run.testError)))
    XCTAssertEqual(run.summary["epochs"] as? Int, 1)
    // The C learner measured the nudge with the host kernel and logged it.
    XCTAssertTrue(run.standardError.contains("nudge_shift"), run.standardError)
    XCTAssertTrue(FileManager.default.fileExists(atPath: run.folder + "/weights.safetensors"))
    XCTAssertEqual(try hash(), before)
  }

  /// Plain EP is the shipped `ep` with a positive β, so training gives the same θ bit for bit.
  func testSwiftLearnerTrainsExactlyAsTheShippedEP() throws {
    let example = try ExampleRun("swift-plugins/ep-learner.yaml")
    let shipped = try ExampleRun(
      "swift-plugins/ep-learner.yaml", replacing: [("id: example-ep", "id: ep")])
    XCTAssertEqual(example.results, shipped.results)
    XCTAssertEqual(try example.weights(), try shipped.weights())
  }
}
