extension RunConfig {
  /// The keys a resumed run may change: its name, how long it trains, how often it logs,
  /// where the data lies. None of them changes what a given batch computes.
  public static let resumableKeys = ["name", "training.epochs", "training.log_every", "data.dir"]

  /// The resolved config without `resumableKeys`: what must stay the same for a run to
  /// continue exactly.
  var identity: ConfigValue {
    Self.resumableKeys.reduce(resolved) { value, key in
      value.removing(key.split(separator: ".").map(String.init))
    }
  }

  /// SHA-256 of the identity as YAML: a checkpoint records it, and resumes only under a
  /// config with the same digest.
  public var identityDigest: String {
    SHA256Digest.hex(of: [Array(identity.yamlText().utf8)])
  }

  /// The first key where this config's identity differs from `other`'s, with both values;
  /// nil when a run of one may resume under the other.
  public func identityDifference(from other: RunConfig) -> (
    path: String, mine: String, theirs: String
  )? {
    identity.firstDifference(from: other.identity)
  }
}
