import Foundation

/// A checkpoint's sidecar (`checkpoint.json`, `best.json`): where training stood, the random
/// stream, metrics.jsonl's length, the config's digest, and the tensors file it belongs to
/// (θ by parameter name, `optimizer/NAME` velocities, `persistent/LAYER` states).
struct CheckpointRecord: Codable, Sendable {
  static let formatName = "eqprop checkpoint"
  static let currentVersion = 1

  var format = formatName
  var version = currentVersion
  /// The tensors file, beside this sidecar.
  var tensors: String
  var tensorsSHA256: String
  var progress: TrainingProgress
  var batchesPerEpoch: Int
  /// The xoshiro256** state as four hex words: many JSON readers lose 64-bit integers.
  var rng: [String]
  /// metrics.jsonl's length when the checkpoint was taken.
  var metricsOffset: UInt64
  /// `RunConfig.identityDigest` of the run's config.
  var configSHA256: String
  /// The test error of the epoch just ended; nil mid-epoch.
  var testError: Double?
  /// When it was written (ISO 8601, UTC).
  var written: String

  private enum CodingKeys: String, CodingKey {
    case format, version, tensors, progress, rng, written
    case tensorsSHA256 = "tensors_sha256"
    case batchesPerEpoch = "batches_per_epoch"
    case metricsOffset = "metrics_offset"
    case configSHA256 = "config_sha256"
    case testError = "test_error"
  }

  /// The random stream's words as `rng` holds them.
  static func hexWords(_ words: [UInt64]) -> [String] { words.map { String($0, radix: 16) } }

  /// `rng` as words; nil when one is not a 64-bit hex number.
  var rngWords: [UInt64]? {
    let words = rng.compactMap { UInt64($0, radix: 16) }
    return words.count == rng.count ? words : nil
  }

  func encoded() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Metrics may hold NaN (a plugin's undefined angle); JSON has no word for it.
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return Array(try encoder.encode(self)) + [UInt8(ascii: "\n")]
  }

  static func decode(_ bytes: [UInt8]) throws -> CheckpointRecord {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try decoder.decode(CheckpointRecord.self, from: Data(bytes))
  }
}
