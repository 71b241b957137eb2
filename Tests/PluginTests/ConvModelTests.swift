@preconcurrency import CEqprop
import TestSupport
import XCTest

@testable import EqpropHost

/// The `conv` model against central finite differences in float64, and its drive against the
/// spec's step written out with naive loops.
///
/// The finite-difference net uses the smooth logistic sigmoid and random states in (0.05,
/// 0.95): away from hardsigm's kinks, and with continuous random values no pooling window
/// holds a tie, so a step of h = 1e-6 never moves an argmax. Its three convolutions cover
/// padding, stride 2, a layer without pooling and pooling that drops a row (odd sizes).
/// h = 1e-5: the pairings sum many terms of order 1, so round-off (1e-16 · 10 / h) would
/// dominate at h = 1e-6; truncation is O(h²) ≈ 1e-10. Tolerance 1e-6 relative (floor 1e-3).
final class ConvModelTests: XCTestCase {
  static let config = """
    dtype: f64
    model:
      id: conv
      input: [2, 8, 7]
      classes: 3
      activation: sigmoid
      conv:
        - {channels: 3, kernel: 3, padding: 1, pool: 2}
        - {channels: 4, kernel: 3, stride: 2, padding: 1, pool: 1}
        - {channels: 3, kernel: 2, padding: 1, pool: 2}
    dynamics: {id: discrete, free_steps: 5}
    learner: {id: ep, nudged_steps: 2, beta: 0.5}
    optimizer: {lr: [0.1, 0.1, 0.1, 0.1]}
    """
  let h = 1e-5

  func assertClose(
    _ a: Double, _ b: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    let scale = max(abs(a), abs(b), 1e-3)
    XCTAssertLessThan(
      abs(a - b) / scale, 1e-6, "\(what): analytic \(a), finite difference \(b)", file: file,
      line: line)
  }

  func testLayoutStatesParametersAndGroups() throws {
    let harness = try ModelHarness(yaml: Self.config, batch: 2)
    let model = harness.session.model
    XCTAssertEqual(model.inputShape, [2, 8, 7])
    XCTAssertEqual(harness.stateShapes, [[2, 3], [2, 3, 1, 1], [2, 4, 2, 2], [2, 3, 4, 3]])
    XCTAssertEqual(
      model.parameters.map(\.name), ["W01", "b0", "W12", "b1", "W23", "b2", "W3x", "b3"])
    XCTAssertEqual(
      harness.parameterShapes,
      [[3, 3], [3], [3, 4, 2, 2], [3], [4, 3, 3, 3], [4], [3, 2, 3, 3], [3]])
    XCTAssertEqual(model.parameters.map(\.learningRateGroup), [0, 0, 1, 1, 2, 2, 3, 3])
  }

  /// The same network with its output layer replaced by a cross-entropy readout.
  static let readoutConfig = config.replacingOccurrences(
    of: "activation: sigmoid", with: "activation: sigmoid\n  cost: cross_entropy")

  func testParamGradIsTheGradientOfPhi() throws {
    try assertParamGradIsTheGradientOfPhi(Self.config)
    try assertParamGradIsTheGradientOfPhi(Self.readoutConfig)
  }

  func testVjpMatchesFiniteDifferencesOfTheDrive() throws {
    try assertVjpMatchesFiniteDifferencesOfTheDrive(Self.config)
    try assertVjpMatchesFiniteDifferencesOfTheDrive(Self.readoutConfig)
  }

  /// With a readout: s_0 is no state, and ∂ℓ/∂s_1 and ∂ℓ/∂(W01, b0) match finite differences.
  func testCrossEntropyReadoutGradientsMatchFiniteDifferences() throws {
    let harness = try ModelHarness(yaml: Self.readoutConfig, batch: 2)
    XCTAssertEqual(harness.session.model.layers.map(\.name), ["s1", "s2", "s3"])
    XCTAssertEqual(harness.session.model.classCount, 3)
    let gradStates = try harness.makeSet(harness.stateShapes)
    let gradParams = try harness.makeSet(harness.parameterShapes)
    try harness.call("cost_grad") { vtable, instance, eval, err in
      vtable.cost_grad(instance, eval, 1, gradStates.views, gradParams.views, err)
    }
    func difference(_ element: UnsafeMutablePointer<Double>) throws -> Double {
      let saved = element.pointee
      element.pointee = saved + h
      let plus = try harness.costSum()
      element.pointee = saved - h
      let minus = try harness.costSum()
      element.pointee = saved
      return (plus - minus) / (2 * h)
    }
    for index in 0..<harness.states.elementCount(0) {
      guard let s = harness.element(harness.states, 0, index) else { return XCTFail("no data") }
      assertClose(gradStates.values(0)[index], try difference(s), "∂ℓ/∂s1[\(index)]")
    }
    let parameters = harness.session.parameters
    for tensor in 0..<parameters.count {
      for index in ModelHarness.sampleIndices(parameters.elementCount(tensor), 20) {
        guard let theta = harness.element(parameters, tensor, index) else { return XCTFail("no data") }
        assertClose(
          gradParams.values(tensor)[index], try difference(theta),
          "∂ℓ/∂\(harness.session.model.parameters[tensor].name)[\(index)]")
      }
    }
  }

  private func assertParamGradIsTheGradientOfPhi(_ yaml: String) throws {
    let harness = try ModelHarness(yaml: yaml, batch: 3)
    let grads = try harness.makeSet(harness.parameterShapes)
    try harness.call("param_grad") { vtable, instance, eval, err in
      vtable.param_grad(instance, eval, 1, grads.views, err)
    }
    let parameters = harness.session.parameters
    for tensor in 0..<parameters.count {
      for index in ModelHarness.sampleIndices(parameters.elementCount(tensor), 20) {
        guard let theta = harness.element(parameters, tensor, index) else {
          return XCTFail("no data")
        }
        let saved = theta.pointee
        theta.pointee = saved + h
        try harness.reprepare()
        let plus = try harness.phiSum()
        theta.pointee = saved - h
        try harness.reprepare()
        let minus = try harness.phiSum()
        theta.pointee = saved
        try harness.reprepare()
        assertClose(
          grads.values(tensor)[index], (plus - minus) / (2 * h),
          "∂Φ/∂\(harness.session.model.parameters[tensor].name)[\(index)]")
      }
    }
  }

  private func assertVjpMatchesFiniteDifferencesOfTheDrive(_ yaml: String) throws {
    let harness = try ModelHarness(yaml: yaml, batch: 2)
    let cotangent = try harness.makeSet(harness.stateShapes)
    for layer in 0..<cotangent.count {
      for index in 0..<cotangent.elementCount(layer) {
        harness.element(cotangent, layer, index)?.pointee = harness.rng.normal()
      }
    }
    let cotStates = try harness.makeSet(harness.stateShapes)
    let cotParams = try harness.makeSet(harness.parameterShapes)
    try harness.call("vjp") { vtable, instance, eval, err in
      vtable.vjp(instance, eval, cotangent.views, cotStates.views, cotParams.views, err)
    }
    for layer in 0..<harness.states.count {
      for index in ModelHarness.sampleIndices(harness.states.elementCount(layer), 20) {
        guard let s = harness.element(harness.states, layer, index) else {
          return XCTFail("no data")
        }
        let saved = s.pointee
        s.pointee = saved + h
        let plus = try harness.drivePairing(cotangent)
        s.pointee = saved - h
        let minus = try harness.drivePairing(cotangent)
        s.pointee = saved
        assertClose(
          cotStates.values(layer)[index], (plus - minus) / (2 * h), "∂⟨g,F⟩/∂s\(layer)[\(index)]")
      }
    }
    let parameters = harness.session.parameters
    for tensor in 0..<parameters.count {
      for index in ModelHarness.sampleIndices(parameters.elementCount(tensor), 20) {
        guard let theta = harness.element(parameters, tensor, index) else {
          return XCTFail("no data")
        }
        let saved = theta.pointee
        theta.pointee = saved + h
        try harness.reprepare()
        let plus = try harness.drivePairing(cotangent)
        theta.pointee = saved - h
        try harness.reprepare()
        let minus = try harness.drivePairing(cotangent)
        theta.pointee = saved
        try harness.reprepare()
        assertClose(
          cotParams.values(tensor)[index], (plus - minus) / (2 * h),
          "∂⟨g,F⟩/∂\(harness.session.model.parameters[tensor].name)[\(index)]")
      }
    }
  }

  func testCostGradIsTheGradientOfTheCost() throws {
    let harness = try ModelHarness(yaml: Self.config, batch: 2)
    let gradStates = try harness.makeSet(harness.stateShapes)
    try harness.call("cost_grad") { vtable, instance, eval, err in
      vtable.cost_grad(instance, eval, 1, gradStates.views, nil, err)
    }
    for index in 0..<harness.states.elementCount(0) {
      guard let s = harness.element(harness.states, 0, index) else { return XCTFail("no data") }
      let saved = s.pointee
      s.pointee = saved + h
      let plus = try harness.costSum()
      s.pointee = saved - h
      let minus = try harness.costSum()
      s.pointee = saved
      assertClose(gradStates.values(0)[index], (plus - minus) / (2 * h), "∂ℓ/∂s0[\(index)]")
    }
    for layer in 1..<harness.states.count {
      XCTAssertEqual(
        gradStates.values(layer), [Double](repeating: 0, count: harness.states.elementCount(layer)))
    }
  }

  func testDriveIsTheSpecStepWrittenOutWithNaiveLoops() throws {
    // P-conv in miniature, hardsigm (the default): x 1×10×10 →C_2 (2 ch, 3×3) 8×8 →P 4×4 = s_2
    // →C_1 (3 ch, 3×3) 2×2 →P 1×1 = s_1 → fc → s_0 (2 classes).
    let harness = try ModelHarness(
      yaml: """
        dtype: f64
        model:
          id: conv
          input: [1, 10, 10]
          classes: 2
          conv: [{channels: 2, kernel: 3}, {channels: 3, kernel: 3}]
        dynamics: {id: discrete, free_steps: 1}
        learner: {id: ep, nudged_steps: 1, beta: 0.5}
        optimizer: {lr: [0.1, 0.1, 0.1]}
        """, batch: 2)
    let p = harness.session.parameters
    let (wfc, bfc, w12, b1, w2x, b2) = (
      p.values(0), p.values(1), p.values(2), p.values(3), p.values(4), p.values(5)
    )
    let x = harness.session.withEval(nil) { eval in
      (0..<200).map {
        eval.pointee.input?.pointee.data?.assumingMemoryBound(to: Double.self)[$0] ?? .nan
      }
    }
    let out = try harness.makeSet(harness.stateShapes)
    try harness.call("drive") { vtable, instance, eval, err in
      vtable.drive(instance, eval, out.views, err)
    }
    func sigma(_ a: Double) -> Double { min(max(a, 0), 1) }
    for b in 0..<2 {
      let s0 = Array(harness.states.values(0)[(b * 2)..<(b * 2 + 2)])
      let s1 = Array(harness.states.values(1)[(b * 3)..<(b * 3 + 3)])
      let s2 = Array(harness.states.values(2)[(b * 32)..<(b * 32 + 32)])
      let xb = Array(x[(b * 100)..<(b * 100 + 100)])
      // s_0 ← σ(W_fc vec(s_1) + b_fc)
      for i in 0..<2 {
        let a = (0..<3).map { wfc[i * 3 + $0] * s1[$0] }.reduce(0, +) + bfc[i]
        XCTAssertEqual(out.values(0)[b * 2 + i], sigma(a), accuracy: 1e-12, "s0[\(b), \(i)]")
      }
      // (p_1, idx_1) = P(C_1(s_2)); s_1 ← σ(p_1 + W_fcᵀ s_0)
      let c1 = Naive.conv(s2, channels: 2, size: 4, w12, b1, out: 3, kernel: 3)
      let (p1, idx1) = Naive.maxpool(c1, channels: 3, size: 2)
      for o in 0..<3 {
        let feedback = (0..<2).map { wfc[$0 * 3 + o] * s0[$0] }.reduce(0, +)
        XCTAssertEqual(
          out.values(1)[b * 3 + o], sigma(p1[o] + feedback), accuracy: 1e-12, "s1[\(b), \(o)]")
      }
      // (p_2, ·) = P(C_2(x)); s_2 ← σ(p_2 + C̃_1(P⁻¹_{idx_1}(s_1)))
      let (p2, _) = Naive.maxpool(
        Naive.conv(xb, channels: 1, size: 10, w2x, b2, out: 2, kernel: 3), channels: 2, size: 8)
      let unpooled = Naive.unpool(s1, idx1, channels: 3, size: 1)
      let back = Naive.transposedConv(unpooled, channels: 3, size: 2, w12, into: 2, kernel: 3)
      for k in 0..<32 {
        XCTAssertEqual(
          out.values(2)[b * 32 + k], sigma(p2[k] + back[k]), accuracy: 1e-12, "s2[\(b), \(k)]")
      }
    }
  }

  func testALaborieuxStyleNetIsAConfig() throws {
    // Laborieux et al. 2021's shape on CIFAR-sized inputs: 3×3 kernels, padding 1, 2×2
    // pooling, 128-256-512-512 channels; only the config changes.
    let harness = try ModelHarness(
      yaml: """
        dtype: f64
        model:
          id: conv
          input: [3, 32, 32]
          conv:
            - {channels: 128, kernel: 3, padding: 1}
            - {channels: 256, kernel: 3, padding: 1}
            - {channels: 512, kernel: 3, padding: 1}
            - {channels: 512, kernel: 3, padding: 1}
        dynamics: {id: discrete, free_steps: 1}
        learner: {id: ep, nudged_steps: 1, beta: 0.5}
        optimizer: {lr: [0.1, 0.1, 0.1, 0.1, 0.1]}
        """, batch: 2)
    XCTAssertEqual(
      harness.stateShapes,
      [[2, 10], [2, 512, 2, 2], [2, 512, 4, 4], [2, 256, 8, 8], [2, 128, 16, 16]])
    XCTAssertEqual(harness.parameterShapes[0], [10, 2048])
    XCTAssertEqual(harness.parameterShapes[8], [128, 3, 3, 3])
    XCTAssertEqual(
      harness.session.model.parameters.map(\.learningRateGroup), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    let out = try harness.makeSet(harness.stateShapes)
    try harness.call("drive") { vtable, instance, eval, err in
      vtable.drive(instance, eval, out.views, err)
    }
    for layer in 0..<out.count {
      XCTAssertTrue(
        out.values(layer).allSatisfy { $0 >= 0 && $0 <= 1 }, "hardsigm bounds s\(layer)")
    }
  }

  func testLibraryAsksForAOneOneHost() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let plugin = try catalog.find(.model, id: "conv")
    XCTAssertEqual(plugin.library.requiredHostMinor, 1)
  }

  func testConfigMistakesAreRefusedWithTheirPath() throws {
    let cases = [
      ("[{channels: 4, kernal: 3}]", "model.conv[0].kernel: required"),
      ("[{channels: 4, kernel: 3, pol: 2}]", "model.conv[0]: unknown key"),
      (
        "[{channels: 4, kernel: 3}, {channels: 4, kernel: 15}]",
        "model.conv[1]: a 15×15 kernel with padding 0 does not fit its 13×13 input"
      ),
      (
        "[{channels: 4, kernel: 3, pool: 40}]",
        "model.conv[0]: pool 40 is larger than the 26×26 conv map"
      ),
      ("[]", "model.conv: give at least one convolution"),
    ]
    for (conv, message) in cases {
      let yaml = """
        dtype: f64
        model: {id: conv, conv: \(conv)}
        dynamics: {id: discrete, free_steps: 1}
        learner: {id: ep, nudged_steps: 1, beta: 0.5}
        optimizer: {lr: [0.1, 0.1, 0.1]}
        """
      XCTAssertThrowsError(try ModelHarness(yaml: yaml, batch: 1), conv) { error in
        XCTAssertTrue("\(error)".contains(message), "\(conv): \(error)")
      }
    }
  }
}

/// The spec's operations on one example, written out plainly (C × size × size planes).
enum Naive {
  /// C(x) + bias: stride 1, no padding, out channels × (size − kernel + 1)².
  static func conv(
    _ x: [Double], channels: Int, size: Int, _ w: [Double], _ bias: [Double], out: Int, kernel: Int
  ) -> [Double] {
    let side = size - kernel + 1
    var y = [Double](repeating: 0, count: out * side * side)
    for o in 0..<out {
      for i in 0..<side {
        for j in 0..<side {
          var sum = bias[o]
          for c in 0..<channels {
            for u in 0..<kernel {
              for v in 0..<kernel {
                sum +=
                  w[((o * channels + c) * kernel + u) * kernel + v]
                  * x[(c * size + i + u) * size + j + v]
              }
            }
          }
          y[(o * side + i) * side + j] = sum
        }
      }
    }
    return y
  }

  /// 2×2 max pooling, stride 2: values and flat in-plane argmax (first maximum).
  static func maxpool(_ x: [Double], channels: Int, size: Int) -> ([Double], [Int]) {
    let side = size / 2
    var values: [Double] = []
    var indices: [Int] = []
    for c in 0..<channels {
      for i in 0..<side {
        for j in 0..<side {
          var best = -Double.infinity
          var at = 0
          for (di, dj) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            let k = (2 * i + di) * size + 2 * j + dj
            if x[c * size * size + k] > best {
              best = x[c * size * size + k]
              at = k
            }
          }
          values.append(best)
          indices.append(at)
        }
      }
    }
    return (values, indices)
  }

  /// Zeros of channels × (2·size)², each pooled value at its index.
  static func unpool(_ x: [Double], _ indices: [Int], channels: Int, size: Int) -> [Double] {
    let plane = 4 * size * size
    var y = [Double](repeating: 0, count: channels * plane)
    for c in 0..<channels {
      for k in 0..<(size * size) {
        y[c * plane + indices[c * size * size + k]] += x[c * size * size + k]
      }
    }
    return y
  }

  /// The transposed convolution of g (channels × size², the conv's output) with w, no bias,
  /// back to `into` channels × (size + kernel − 1)².
  static func transposedConv(
    _ g: [Double], channels: Int, size: Int, _ w: [Double], into: Int, kernel: Int
  ) -> [Double] {
    let side = size + kernel - 1
    var x = [Double](repeating: 0, count: into * side * side)
    for o in 0..<channels {
      for i in 0..<size {
        for j in 0..<size {
          for c in 0..<into {
            for u in 0..<kernel {
              for v in 0..<kernel {
                x[(c * side + i + u) * side + j + v] +=
                  w[((o * into + c) * kernel + u) * kernel + v] * g[(o * size + i) * size + j]
              }
            }
          }
        }
      }
    }
    return x
  }
}
