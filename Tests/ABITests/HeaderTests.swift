import TestSupport
import XCTest

/// The header is plain C11 and C++, includes only stddef.h and stdint.h, and keeps the 1.0
/// layout (Tests/Fixtures/abi-1.0/frozen_layout.c).
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

  func testReleasedOneZeroLayoutIsUnchanged() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let result = try compile(
      ["-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-I", RepositoryPaths.includeFolder,
        "-c", RepositoryPaths.fixtures + "/abi-1.0/frozen_layout.c", "-o", folder + "/frozen.o"])
    XCTAssertEqual(result.status, 0, result.standardError)
  }

  func testReleasedHeaderFixtureStillCompiles() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let result = try compile(
      ["-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-I", RepositoryPaths.fixtures + "/abi-1.0",
        "-c", RepositoryPaths.fixtures + "/abi-1.0/frozen_layout.c", "-o", folder + "/frozen.o"])
    XCTAssertEqual(result.status, 0, result.standardError)
  }
}
