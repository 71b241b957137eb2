import Foundation
import TestSupport
import XCTest

/// The header is plain C11 and C++, includes only stddef.h and stdint.h, and keeps every
/// released layout (Tests/Fixtures/abi-1.N/frozen_layout.c).
final class HeaderTests: XCTestCase {
  private func compile(_ arguments: [String]) throws -> ProcessRunner.Result {
    try ProcessRunner.run("/usr/bin/env", ["cc"] + arguments)
  }

  func testHeaderCompilesAsPedanticC11AndCxx() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let source = folder + "/include_only.c"
    try "#include \"eqprop.h\"\nint eqp_test_symbol;\n".write(toFile: source, atomically: true, encoding: .utf8)
    for language in [["-x", "c", "-std=c11"], ["-x", "c++", "-std=c++11"]] {
      let result = try compile(
        language + ["-Wall", "-Wextra", "-pedantic", "-Werror", "-I", RepositoryPaths.includeFolder,
          "-c", source, "-o", folder + "/out.o"])
      XCTAssertEqual(result.status, 0, "\(language): \(result.standardError)")
    }
  }

  func testHeaderIncludesOnlyStddefAndStdint() throws {
    let header = try String(contentsOfFile: RepositoryPaths.includeFolder + "/eqprop.h", encoding: .utf8)
    let includes = header.split(separator: "\n").filter { $0.hasPrefix("#include") }
    XCTAssertEqual(includes, ["#include <stddef.h>", "#include <stdint.h>"])
  }

  /// Compiles a released `frozen_layout.c` against the header in `includeFolder`. The file is
  /// copied out of its fixture folder first: `#include "eqprop.h"` looks beside the including
  /// file before any -I folder, so compiled in place it would check the fixture's own header.
  private func compileFrozenLayout(release: String, includeFolder: String) throws
    -> ProcessRunner.Result
  {
    let folder = try CPluginBuilder.temporaryFolder()
    let copy = folder + "/frozen_layout.c"
    try FileManager.default.copyItem(
      atPath: RepositoryPaths.fixtures + "/abi-\(release)/frozen_layout.c", toPath: copy)
    return try compile(
      ["-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-I", includeFolder, "-c", copy,
        "-o", folder + "/frozen.o"])
  }

  func testReleasedOneZeroLayoutIsUnchanged() throws {
    let result = try compileFrozenLayout(release: "1.0", includeFolder: RepositoryPaths.includeFolder)
    XCTAssertEqual(result.status, 0, result.standardError)
  }

  func testReleasedOneOneLayoutIsUnchanged() throws {
    let result = try compileFrozenLayout(release: "1.1", includeFolder: RepositoryPaths.includeFolder)
    XCTAssertEqual(result.status, 0, result.standardError)
  }

  func testReleasedOneTwoLayoutIsUnchanged() throws {
    let result = try compileFrozenLayout(release: "1.2", includeFolder: RepositoryPaths.includeFolder)
    XCTAssertEqual(result.status, 0, result.standardError)
  }

  func testReleasedOneThreeLayoutIsUnchanged() throws {
    let result = try compileFrozenLayout(release: "1.3", includeFolder: RepositoryPaths.includeFolder)
    XCTAssertEqual(result.status, 0, result.standardError)
  }

  func testReleasedHeaderFixturesStillCompile() throws {
    for release in ["1.0", "1.1", "1.2", "1.3"] {
      let result = try compileFrozenLayout(
        release: release, includeFolder: RepositoryPaths.fixtures + "/abi-\(release)")
      XCTAssertEqual(result.status, 0, "\(release): \(result.standardError)")
    }
  }

  /// The check has teeth: 1.1's layout names entries the 1.0 header does not have.
  func testOneOneLayoutFailsAgainstTheOneZeroHeader() throws {
    let result = try compileFrozenLayout(
      release: "1.1", includeFolder: RepositoryPaths.fixtures + "/abi-1.0")
    XCTAssertNotEqual(result.status, 0)
    XCTAssertTrue(result.standardError.contains("conv2d"), result.standardError)
  }

  /// 1.2's layout names the apply_step entries the 1.1 header does not have.
  func testOneTwoLayoutFailsAgainstTheOneOneHeader() throws {
    let result = try compileFrozenLayout(
      release: "1.2", includeFolder: RepositoryPaths.fixtures + "/abi-1.1")
    XCTAssertNotEqual(result.status, 0)
    XCTAssertTrue(result.standardError.contains("apply_step"), result.standardError)
  }

  /// 1.3's layout names the communicator structs the 1.2 header does not have.
  func testOneThreeLayoutFailsAgainstTheOneTwoHeader() throws {
    let result = try compileFrozenLayout(
      release: "1.3", includeFolder: RepositoryPaths.fixtures + "/abi-1.2")
    XCTAssertNotEqual(result.status, 0)
    XCTAssertTrue(result.standardError.contains("EQP_Communicator"), result.standardError)
  }
}
