/// Named metrics summed with their counts, so they average over any span of batches: an
/// epoch, a logging window. Codable, because a checkpoint taken mid-epoch carries the sums.
public struct MetricSums: Codable, Sendable, Equatable {
  public struct Entry: Codable, Sendable, Equatable {
    public var sum: Double
    public var count: Int
  }

  private var entries: [String: Entry] = [:]

  public init() {}

  // Coded as the bare map {"name": {"sum": …, "count": …}}, which reads well in a sidecar.
  public init(from decoder: any Decoder) throws {
    entries = try decoder.singleValueContainer().decode([String: Entry].self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(entries)
  }

  public subscript(name: String) -> Entry? { entries[name] }

  public mutating func add(_ name: String, _ value: Double) {
    let current = entries[name] ?? Entry(sum: 0, count: 0)
    entries[name] = Entry(sum: current.sum + value, count: current.count + 1)
  }

  /// Adds every sum and count of `other`.
  public mutating func merge(_ other: MetricSums) {
    for (name, entry) in other.entries {
      let current = entries[name] ?? Entry(sum: 0, count: 0)
      entries[name] = Entry(sum: current.sum + entry.sum, count: current.count + entry.count)
    }
  }

  /// Each metric's mean.
  public var averages: [String: Double] {
    entries.mapValues { $0.sum / Double(max($0.count, 1)) }
  }
}
