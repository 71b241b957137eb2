/// The persistent states of a data-parallel run, sharded by example: rank r keeps the states
/// of the training examples i with i % size == r (at slot i / size), so each rank holds 1/size
/// of them. A global batch's states travel to the ranks that relax them (`fetch`) and back
/// to their keepers afterwards (`giveBack`). Every method is collective.
final class PersistentStateShards {
  private let communicator: any Communicator
  let exampleCount: Int
  /// This rank's examples' states, by slot.
  private let owned: PersistentStates

  init(exampleCount: Int, layerSizes: [Int], elementSize: Int, communicator: any Communicator) {
    self.communicator = communicator
    self.exampleCount = exampleCount
    owned = PersistentStates(
      exampleCount: Self.ownedCount(exampleCount, rank: communicator.rank, size: communicator.size),
      layerSizes: layerSizes, elementSize: elementSize)
  }

  private var layerBytes: [Int] { owned.bytesPerExample }

  /// The states of positions `shard` of `batch`, one row per position in order.
  func fetch(_ batch: [Int], shard: Range<Int>) throws(PluginFailure) -> PersistentStates {
    let size = communicator.size
    let owners = batch.map { $0 % size }
    // Where each position's state lies in its keeper's contribution: keepers send the states
    // of the batch's examples they keep, in position order.
    var rankInKeeper = [Int](repeating: 0, count: batch.count)
    var kept = [Int](repeating: 0, count: size)
    for (position, owner) in owners.enumerated() {
      rankInKeeper[position] = kept[owner]
      kept[owner] += 1
    }
    let mine = batch.filter { $0 % size == communicator.rank }
    let rows = PersistentStates(
      exampleCount: shard.count, layerSizes: layerBytes, elementSize: 1)
    for layer in layerBytes.indices {
      let bytes = layerBytes[layer]
      let joined = try communicator.allgather(owned.bytes(layer: layer, of: mine.map { $0 / size }), counts: kept.map { $0 * bytes })
      var starts = [0]
      for count in kept.dropLast() { starts.append(starts[starts.count - 1] + count * bytes) }
      var layerRows: [UInt8] = []
      layerRows.reserveCapacity(shard.count * bytes)
      for position in shard {
        let start = starts[owners[position]] + rankInKeeper[position] * bytes
        layerRows += joined[start..<start + bytes]
      }
      _ = rows.restore(layer: layer, layerRows)
    }
    return rows
  }

  /// Stores `rows`, the final states of positions `shard` of `batch`, with their keepers.
  func giveBack(_ batch: [Int], shard: Range<Int>, rows: PersistentStates) throws(PluginFailure) {
    let size = communicator.size
    let shards = (0..<size).map {
      BatchShard(globalCount: batch.count, rank: $0, size: size).positions
    }
    for layer in layerBytes.indices {
      let bytes = layerBytes[layer]
      // Shards are contiguous and in rank order, so the joined rows are the batch's, in order.
      let joined = try communicator.allgather(rows.storage[layer], counts: shards.map { $0.count * bytes })
      for (position, example) in batch.enumerated() where example % size == communicator.rank {
        owned.setBytes(layer: layer, example: example / size, joined[position * bytes..<(position + 1) * bytes])
      }
    }
  }

  /// Every example's states, in example order, as a checkpoint saves them.
  func gatherAll() throws(PluginFailure) -> [[UInt8]] {
    let size = communicator.size
    let counts = (0..<size).map { Self.ownedCount(exampleCount, rank: $0, size: size) }
    return try layerBytes.indices.map { (layer) throws(PluginFailure) in
      let bytes = layerBytes[layer]
      let joined = try communicator.allgather(owned.storage[layer], counts: counts.map { $0 * bytes })
      var starts = [0]
      for count in counts.dropLast() { starts.append(starts[starts.count - 1] + count * bytes) }
      var all: [UInt8] = []
      all.reserveCapacity(exampleCount * bytes)
      for example in 0..<exampleCount {
        let start = starts[example % size] + (example / size) * bytes
        all += joined[start..<start + bytes]
      }
      return all
    }
  }

  /// Keeps this rank's examples of `bytes`, layer `layer`'s states of every example (a
  /// checkpoint's); false (nothing changed) when the size differs.
  func restore(layer: Int, _ bytes: [UInt8]) -> Bool {
    guard layer < layerBytes.count, bytes.count == exampleCount * layerBytes[layer] else { return false }
    let size = communicator.size
    let perExample = layerBytes[layer]
    let mine = stride(from: communicator.rank, to: exampleCount, by: size).flatMap {
      bytes[$0 * perExample..<($0 + 1) * perExample]
    }
    return owned.restore(layer: layer, mine)
  }

  /// How many of `count` examples rank `rank` of `size` keeps.
  static func ownedCount(_ count: Int, rank: Int, size: Int) -> Int {
    count > rank ? (count - rank + size - 1) / size : 0
  }
}
