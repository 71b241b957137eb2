import Foundation

extension MetricsRecord {
  /// What a line of `metrics.jsonl` holds that the plots use; every other field is ignored.
  private struct Line: Decodable {
    var kind: String?
    var progress: Double?
    var trainError: Double?
    var testError: Double?
    var trainLoss: Double?
    var testLoss: Double?
    var metrics: [String: Double?]?

    enum CodingKeys: String, CodingKey {
      case kind, progress, metrics
      case trainError = "train_error"
      case testError = "test_error"
      case trainLoss = "train_loss"
      case testLoss = "test_loss"
    }
  }

  /// Reads one line: nil for a line of a kind the plots don't know (a newer writer's), and a
  /// sentence saying what is wrong for a line that is not a record.
  static func parse(_ text: Substring) -> Result<MetricsRecord?, LineProblem> {
    let line: Line
    do {
      line = try JSONDecoder().decode(Line.self, from: Data(text.utf8))
    } catch let DecodingError.typeMismatch(_, context) {
      return .failure(LineProblem(wrongType: context))
    } catch let DecodingError.valueNotFound(_, context) {
      return .failure(LineProblem(wrongType: context))
    } catch {
      return .failure(LineProblem(sentence: "not a JSON object"))
    }
    guard let name = line.kind else {
      return .failure(
        LineProblem(sentence: "no \"kind\" field (expected \"epoch\" or \"batches\")"))
    }
    guard let kind = Kind(rawValue: name) else { return .success(nil) }
    guard let progress = line.progress, progress.isFinite else {
      return .failure(LineProblem(sentence: "a \(name) line needs a finite \"progress\""))
    }
    return .success(
      MetricsRecord(
        kind: kind, progress: progress, trainError: line.trainError ?? .nan,
        testError: line.testError ?? .nan, trainLoss: line.trainLoss ?? .nan,
        testLoss: line.testLoss ?? .nan,
        metrics: (line.metrics ?? [:]).mapValues { $0 ?? .nan }))
  }

  /// Why a line is not a record, as a sentence fragment.
  struct LineProblem: Error, Equatable {
    var sentence: String

    init(sentence: String) {
      self.sentence = sentence
    }

    /// "\"train_error\" is not a number", from the field where the decoder stopped.
    init(wrongType context: DecodingError.Context) {
      let field = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        .joined(separator: ".")
      let expected = field == "kind" ? "a string" : field == "metrics" ? "an object" : "a number"
      sentence = field.isEmpty ? "not a JSON object" : "\"\(field)\" is not \(expected)"
    }
  }
}
