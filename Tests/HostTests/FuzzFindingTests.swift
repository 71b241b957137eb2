import TestSupport
import XCTest

@testable import EqpropHost

/// Inputs with which scripts/fuzz broke a reader, kept in Tests/Fixtures/fuzz/TARGET/ (the
/// script replays them as seeds too); each is now refused with a sentence.
final class FuzzFindingTests: XCTestCase {
  private func fixture(_ name: String) -> String { RepositoryPaths.fixtures + "/fuzz/" + name }

  /// A key whose escaped form (608 bytes, mostly line breaks, each written as \n) is longer
  /// than the 1024 characters YAML reads as an implicit key: config.yaml became unreadable.
  func testConfigKeyTooLongForTheImplicitForm() throws {
    let path = fixture("config/long-escaped-key")
    let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path))
    let text = String(decoding: bytes, as: UTF8.self)
    let written = ConfigValue.map([(text, .list([.string(text), .map([(text, .string(text))])]))])
    XCTAssertEqual(try ConfigParser.parse(text: written.yamlText(), source: "config.yaml"), written)
  }

  /// The reader took a tensor with an empty name, which the writer refuses: a resumed run
  /// would have failed at its first checkpoint instead of at the start.
  func testSafetensorsTensorWithAnEmptyName() {
    let path = fixture("safetensors/empty-tensor-name.safetensors")
    XCTAssertThrowsError(try SafetensorsFile.read(path)) { error in
      XCTAssertEqual(
        error as? CheckpointError,
        CheckpointError(
          file: path, tensor: "", reason: "the name is empty; every tensor needs one"))
    }
  }
}
