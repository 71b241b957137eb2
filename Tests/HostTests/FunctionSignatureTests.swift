import XCTest

@testable import EqpropHost

final class FunctionSignatureTests: XCTestCase {
  func testEverySupportedTypeParses() throws {
    let signature = try FunctionSignature.parse("d(ilfdsptPe)").get()
    XCTAssertEqual(signature.returnType, .double)
    XCTAssertEqual(
      signature.arguments,
      [.int32, .int64, .float, .double, .string, .instance, .tensor, .params, .error])
    for returnType in ["v", "i", "l", "f", "d"] {
      XCTAssertNoThrow(try FunctionSignature.parse("\(returnType)()").get())
    }
  }

  func testMalformedSignaturesSayWhy() {
    let cases: [(String, String)] = [
      ("", "is empty"),
      ("x(p)", "starts with 'x'"),
      ("s(p)", "starts with 's'"),
      ("d", "must be RET(ARGS)"),
      ("d(p", "must be RET(ARGS)"),
      ("d(pq)", "'q' at position 4"),
      ("d(pp)", "takes 'p' more than once"),
    ]
    for (text, reason) in cases {
      switch FunctionSignature.parse(text) {
      case .success: XCTFail("\(text) should be refused")
      case .failure(let error):
        XCTAssertTrue(error.reason.contains(reason), "\(text): \(error.reason)")
      }
    }
  }
}
