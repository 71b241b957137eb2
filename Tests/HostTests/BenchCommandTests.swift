import Foundation
import TestSupport
import XCTest

/// `eqprop bench` runs and reports every shape with its machine; the figures themselves are
/// measurements, not checked here (the kernel's GEMM results are, in KernelTests).
final class BenchCommandTests: XCTestCase {
  func testBenchReportsEveryShapeAsJSON() throws {
    let result = try ProcessRunner.run(
      RepositoryPaths.binaryFolder + "/eqprop", ["bench", "--repeats", "1", "--seconds", "0.002", "--json"])
    XCTAssertEqual(result.status, 0, result.standardError)
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    let machine = try XCTUnwrap(json["machine"] as? [String: Any])
    XCTAssertGreaterThanOrEqual(machine["cores"] as? Int ?? 0, 1)
    XCTAssertGreaterThan(json["square_sgemm_peak_gflops"] as? Double ?? 0, 0)
    let rows = try XCTUnwrap(json["kernel_gemm"] as? [[String: Any]])
    XCTAssertEqual(rows.count, 14, "7 shapes at batch 20 and 128")
    for row in rows {
      XCTAssertGreaterThan(row["kernel_gflops"] as? Double ?? 0, 0, "\(row)")
      XCTAssertGreaterThan(row["raw_gflops"] as? Double ?? 0, 0, "\(row)")
    }
  }

  func testBenchRefusesAnImpossibleRepeatCount() throws {
    let result = try ProcessRunner.run(RepositoryPaths.binaryFolder + "/eqprop", ["bench", "--repeats", "0"])
    XCTAssertNotEqual(result.status, 0)
    XCTAssertTrue(result.standardError.contains("--repeats must be at least 1, found 0"), result.standardError)
  }
}
