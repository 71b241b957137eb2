import Foundation
import TestSupport
import XCTest

/// The dynamics examples of docs/PLUGINS.md (examples/c-dynamics in C, example-fixed-point in
/// Swift) run the steps of the shipped `discrete` dynamics in the same order, early stop
/// included, so training with them gives the same θ bit for bit.
final class DynamicsExampleTests: XCTestCase {
  func testCDynamicsRelaxesExactlyAsTheShippedOne() throws {
    let plugins = try CPluginBuilder.example("c-dynamics/fixed_point.c", name: "fixed_point")
    let example = try ExampleRun("c-dynamics/fixed-point.yaml", plugins: plugins)
    let shipped = try ExampleRun(
      "c-dynamics/fixed-point.yaml", replacing: [("id: example-c-fixed-point", "id: discrete")])
    XCTAssertEqual(example.results, shipped.results)
    XCTAssertEqual(try example.weights(), try shipped.weights())
  }

  func testSwiftDynamicsRelaxesExactlyAsTheShippedOne() throws {
    let example = try ExampleRun("swift-plugins/fixed-point-dynamics.yaml")
    let shipped = try ExampleRun(
      "swift-plugins/fixed-point-dynamics.yaml",
      replacing: [("id: example-fixed-point", "id: discrete")])
    XCTAssertEqual(example.results, shipped.results)
    XCTAssertEqual(try example.weights(), try shipped.weights())
  }
}
