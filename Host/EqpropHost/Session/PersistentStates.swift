/// One stored state per training example (Scellier & Bengio 2017's persistent particles),
/// kept by the host: a free phase with persistence starts from each example's stored state
/// and writes its final state back.
final class PersistentStates {
  /// Per layer: examples × per-example elements, in the session's dtype, as raw bytes (what
  /// a checkpoint saves and restores).
  private(set) var storage: [[UInt8]]
  let exampleCount: Int
  /// Per layer: the bytes of one example's state.
  let bytesPerExample: [Int]

  init(exampleCount: Int, layerSizes: [Int], elementSize: Int) {
    self.exampleCount = exampleCount
    bytesPerExample = layerSizes.map { $0 * elementSize }
    storage = bytesPerExample.map { [UInt8](repeating: 0, count: $0 * exampleCount) }
  }

  /// Replaces layer `layer`'s stored states with `bytes`; false (nothing changed) when the
  /// layer does not exist or the size differs.
  func restore(layer: Int, _ bytes: [UInt8]) -> Bool {
    guard layer < storage.count, bytes.count == storage[layer].count else { return false }
    storage[layer] = bytes
    return true
  }

  /// Copies the stored states of `examples` into the batch's state tensors.
  func load(_ examples: [Int], into states: TensorSet) {
    for layer in 0..<states.count {
      guard let target = states.data(layer) else { continue }
      let size = bytesPerExample[layer]
      storage[layer].withUnsafeBytes { source in
        for (row, example) in examples.enumerated() {
          guard let base = source.baseAddress else { return }
          (target + row * size).copyMemory(from: base + example * size, byteCount: size)
        }
      }
    }
  }

  /// Stores the batch's states as those of `examples`.
  func store(_ examples: [Int], from states: TensorSet) {
    for layer in 0..<states.count {
      guard let origin = states.data(layer) else { continue }
      let size = bytesPerExample[layer]
      storage[layer].withUnsafeMutableBytes { target in
        for (row, example) in examples.enumerated() {
          guard let base = target.baseAddress else { return }
          (base + example * size).copyMemory(from: origin + row * size, byteCount: size)
        }
      }
    }
  }

  /// Layer `layer`'s stored states of `examples`, back to back.
  func bytes(layer: Int, of examples: [Int]) -> [UInt8] {
    let size = bytesPerExample[layer]
    var result: [UInt8] = []
    result.reserveCapacity(examples.count * size)
    for example in examples { result += storage[layer][example * size..<(example + 1) * size] }
    return result
  }

  /// Replaces layer `layer`'s stored state of `example` with `bytes` (one example's).
  func setBytes(layer: Int, example: Int, _ bytes: ArraySlice<UInt8>) {
    let size = bytesPerExample[layer]
    storage[layer].replaceSubrange(example * size..<(example + 1) * size, with: bytes)
  }
}
