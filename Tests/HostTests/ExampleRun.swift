import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// One `eqprop train --json` of a config of examples/ by the built, unchanged host, cut to
/// the first MNIST images so that it takes under a second.
struct ExampleRun {
  /// The summary `train --json` prints last.
  let summary: [String: Any]
  let standardError: String
  /// The saved run folder (weights.safetensors, config.yaml).
  let folder: String

  /// Trains `config` (a path under examples/) after each (old, new) text replacement (another
  /// plugin id, say), on `train` training and `test` test images. Plugins are searched in
  /// `plugins` first, then beside the host.
  init(
    _ config: String, replacing replacements: [(String, String)] = [], plugins: String? = nil,
    train: Int = 300, test: Int = 200
  ) throws {
    var text = try String(
      contentsOfFile: RepositoryPaths.root + "/examples/" + config, encoding: .utf8)
    for (old, new) in replacements + [
      ("  batch_size: 20", "  batch_size: 20\n  train_limit: \(train)\n  test_limit: \(test)")
    ] {
      guard text.contains(old) else {
        throw ExampleRunFailure("\(config) does not contain «\(old)»")
      }
      text = text.replacingOccurrences(of: old, with: new)
    }
    let work = try CPluginBuilder.temporaryFolder("eqprop-example-run")
    try text.write(toFile: work + "/config.yaml", atomically: true, encoding: .utf8)
    folder = work + "/run"
    let result = try ProcessRunner.run(
      RepositoryPaths.binaryFolder + "/eqprop",
      ["train", work + "/config.yaml", "--data", RepositoryPaths.mnist, "--out", folder, "--json"]
        + (plugins.map { ["--plugins", $0] } ?? []))
    guard result.status == 0 else {
      throw ExampleRunFailure("eqprop train \(config) failed:\n\(result.standardError)")
    }
    let last = result.standardOutput.split(separator: "\n").last ?? ""
    guard let summary = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
    else {
      throw ExampleRunFailure("no JSON summary in: \(result.standardOutput)")
    }
    self.summary = summary
    standardError = result.standardError
  }

  var testError: Double? { summary["test_error"] as? Double }

  /// The epoch's numbers without its timing: errors, losses and metrics.
  var results: [String] {
    let epochs = summary["per_epoch"] as? [[String: Any]] ?? []
    return epochs.map { epoch in
      ["test_error", "train_error", "test_loss", "train_loss"].map {
        "\($0) \(epoch[$0] ?? "none")"
      }
      .joined(separator: ", ")
    }
  }

  /// θ as saved, tensor by tensor.
  func weights() throws -> [SafetensorsTensor] {
    try SafetensorsFile.read(folder + "/weights.safetensors").tensors
  }
}

/// Why an example run gave no result, with what the host printed.
struct ExampleRunFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
