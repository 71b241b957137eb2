extension SweepSummary {
  /// `summary.jsonl`: a line per setting, in the plan's order (one line, wrapped here):
  ///
  ///     {"setting":0,"values":{"learner.beta":0.5},"seeds":[1,2],"finished":2,"failed":0,
  ///      "test_error":{"mean":f,"std":f,"per_seed":[f,f]},"train_error":{...},
  ///      "best_test_error":{...},"folders":["0-seed1","0-seed2"],
  ///      "failures":[{"seed":S,"folder":"...","message":"..."}]}
  ///
  /// Errors are fractions. `std` is the sample standard deviation (n − 1), null with fewer
  /// than two finished runs; `per_seed` follows `seeds`, null for a failed run. `folders`
  /// are the run folders inside the sweep's out folder, in seed order.
  public var jsonLines: String {
    rows.map(\.jsonLine).joined(separator: "\n") + "\n"
  }
}

extension SweepSummary.Row {
  var jsonLine: String {
    JSONText.object([
      ("setting", "\(setting.index)"),
      ("values", JSONText.object(setting.values.map { ($0.path.description, $0.value.jsonText) })),
      ("seeds", "[" + runs.map { "\($0.run.seed)" }.joined(separator: ",") + "]"),
      ("finished", "\(finished)"), ("failed", "\(failed)"),
      ("test_error", json(testError, \.finalTestError)),
      ("train_error", json(trainError, \.finalTrainError)),
      ("best_test_error", json(bestTestError, \.bestTestError)),
      ("folders", "[" + runs.map { JSONText.quote($0.run.name) }.joined(separator: ",") + "]"),
      ("failures", "[" + runs.compactMap(failureJSON).joined(separator: ",") + "]"),
    ])
  }

  private func json(_ statistics: SampleStatistics, _ value: KeyPath<SweepOutcome, Double?>)
    -> String
  {
    let perSeed = runs.map { run in run.outcome.finished ? run.outcome[keyPath: value] : nil }
    return JSONText.object([
      ("mean", number(statistics.mean)), ("std", number(statistics.standardDeviation)),
      ("per_seed", "[" + perSeed.map(number).joined(separator: ",") + "]"),
    ])
  }

  private func failureJSON(_ run: SweepPlan.Run, _ outcome: SweepOutcome) -> String? {
    outcome.failure.map { message in
      JSONText.object([
        ("seed", "\(run.seed)"), ("folder", JSONText.quote(run.name)),
        ("message", JSONText.quote(message)),
      ])
    }
  }

  private func number(_ value: Double?) -> String { value.map(JSONText.number) ?? "null" }
}
