import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// Sweep files are read strictly: every mistake is refused with the key and what would be
/// right, before anything trains.
final class SweepFileTests: XCTestCase {
  private func parse(_ text: String) throws -> SweepFile {
    try SweepFile.parse(ConfigParser.parse(text: text, source: "s.yaml"), source: "dir/s.yaml")
  }

  private func refusal(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String
  {
    do {
      _ = try parse(text)
      XCTFail("accepted:\n\(text)", file: file, line: line)
    } catch {
      return (error as? ConfigError)?.message ?? "\(error)"
    }
    return ""
  }

  func testReadsEveryKeyInTheFilesOrder() throws {
    let sweep = try parse(
      """
      config: base.yaml
      seeds: [5, 1]
      grid:
        optimizer.lr: [[0.1, 0.05], [0.2, 0.1]]
        learner.beta: [0.5, 1.0]
      set:
        training.epochs: 2
        model.layers[1]: 64
      out: runs/mine
      """)
    XCTAssertEqual(sweep.config, "dir/base.yaml", "relative to the sweep file's folder")
    XCTAssertEqual(sweep.seeds, [5, 1])
    XCTAssertEqual(sweep.grid.map(\.path.description), ["optimizer.lr", "learner.beta"])
    XCTAssertEqual(
      sweep.grid[0].values,
      [.list([.float(0.1), .float(0.05)]), .list([.float(0.2), .float(0.1)])])
    XCTAssertEqual(sweep.settings.map(\.argument), ["training.epochs=2", "model.layers[1]=64"])
    XCTAssertEqual(sweep.out, "runs/mine")
  }

  func testDefaultsAndAbsoluteConfig() throws {
    let sweep = try parse("config: /abs/base.yaml\nseeds: [0]")
    XCTAssertEqual(sweep.config, "/abs/base.yaml")
    XCTAssertTrue(sweep.grid.isEmpty)
    XCTAssertTrue(sweep.settings.isEmpty)
    XCTAssertEqual(sweep.out, "runs/sweep-s", "named after the sweep file")
  }

  func testRefusesMistakesNamingTheKey() {
    let cases: [(String, String)] = [
      ("config: b.yaml\nseed: [1]", "s.yaml: seed: unknown key; did you mean 'seeds'?"),
      ("seeds: [1]", "config: missing or not a file name"),
      ("config: b.yaml", "seeds: must be a non-empty list, as seeds: [1, 2, 3, 4, 5]"),
      ("config: b.yaml\nseeds: []", "seeds: must be a non-empty list"),
      ("config: b.yaml\nseeds: 3", "found 3"),
      ("config: b.yaml\nseeds: [1, -2]", "seeds[1]: -2 is not a seed (a whole number ≥ 0)"),
      ("config: b.yaml\nseeds: [1, 0.5]", "seeds[1]: 0.5 is not a seed"),
      ("config: b.yaml\nseeds: [2, 1, 2]", "seeds[2]: 2 is listed twice"),
      ("config: b.yaml\nseeds: [1]\ngrid: [1]", "grid: must be a map of config keys to lists"),
      (
        "config: b.yaml\nseeds: [1]\ngrid: {learner.beta: []}",
        "grid: learner.beta: must be a non-empty list"
      ),
      (
        "config: b.yaml\nseeds: [1]\ngrid: {learner.beta: 0.5}",
        "a value for every run goes in set:"
      ),
      (
        "config: b.yaml\nseeds: [1]\ngrid: {learner.beta: [1, 2, 1]}",
        "grid: learner.beta: 1 is listed twice"
      ),
      ("config: b.yaml\nseeds: [1]\ngrid: {a..b: [1]}", "grid: 'a..b' is not a key path"),
      ("config: b.yaml\nseeds: [1]\ngrid: {seed: [1, 2]}", "grid: seed: the seeds go in seeds:"),
      ("config: b.yaml\nseeds: [1]\nset: {seed: 4}", "set: seed: the seeds go in seeds:"),
      ("config: b.yaml\nseeds: [1]\nset: [1]", "set: must be a map of config keys to values"),
      (
        "config: b.yaml\nseeds: [1]\ngrid: {learner.beta: [1, 2]}\nset: {learner.beta: 3}",
        "learner.beta is in both grid and set"
      ),
      ("config: b.yaml\nseeds: [1]\nout: 3", "out: must be a folder name, found 3"),
      ("[1]", "the top level must be a map of config, seeds, grid, set, out"),
    ]
    for (text, expected) in cases {
      let message = refusal(text)
      XCTAssertTrue(message.contains(expected), "«\(message)» lacks «\(expected)» for:\n\(text)")
    }
  }

  func testCommandLineSettingsComeAfterTheFilesAndMayNotTouchTheGrid() throws {
    let sweep = try parse(
      "config: b.yaml\nseeds: [1]\ngrid: {learner.beta: [1, 2]}\nset: {training.epochs: 2}")
    let added = try sweep.adding([ConfigSetting(parsing: "training.epochs=3")], data: "mnist")
    XCTAssertEqual(
      added.settings.map(\.argument), ["training.epochs=2", "training.epochs=3", "data.dir=mnist"])
    XCTAssertThrowsError(try sweep.adding([ConfigSetting(parsing: "learner.beta=3")], data: nil)) {
      XCTAssertEqual(
        ($0 as? ConfigError)?.message,
        "--set learner.beta=3: learner.beta is a key of dir/s.yaml's grid, which gives its values")
    }
    XCTAssertThrowsError(try sweep.adding([ConfigSetting(parsing: "seed=3")], data: nil)) {
      XCTAssertEqual(
        ($0 as? ConfigError)?.message,
        "--set seed=3: the seeds go in seeds:, and each setting runs with each")
    }
  }
}
