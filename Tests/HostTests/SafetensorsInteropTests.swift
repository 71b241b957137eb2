import Foundation
import TestSupport
import XCTest

@testable import EqpropHost

/// Files written here read in Python with plain `json` and numpy, or `struct` where numpy is
/// missing (not the safetensors package), and a file Python writes by hand reads here: the
/// layout is the format's, not just our own.
final class SafetensorsInteropTests: XCTestCase {
  /// Reads a safetensors file with json and numpy (or struct) and prints what it found as JSON.
  private static let pythonReader = """
    import json, struct, sys
    try:
        import numpy as np
    except ImportError:
        np = None
    raw = open(sys.argv[1], 'rb').read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n].decode('utf-8'))
    data = raw[8 + n:]
    out = {'metadata': header.pop('__metadata__', {}), 'dataStart': 8 + n, 'tensors': {}}
    covered = 0
    for name, entry in header.items():
        begin, end = entry['data_offsets']
        covered += end - begin
        if np is not None:
            dtype = {'F32': '<f4', 'F64': '<f8'}[entry['dtype']]
            array = np.frombuffer(data[begin:end], dtype=dtype).reshape(entry['shape'])
            shape, values = list(array.shape), [float(v) for v in array.ravel()]
        else:
            letter, size = {'F32': ('f', 4), 'F64': ('d', 8)}[entry['dtype']]
            shape = entry['shape']
            values = list(struct.unpack('<%d%s' % ((end - begin) // size, letter), data[begin:end]))
        out['tensors'][name] = {'dtype': entry['dtype'], 'shape': shape, 'values': values}
    out['uncovered'] = len(data) - covered
    print(json.dumps(out))
    """

  /// Writes a file the way a Python user would, with no padding and `json.dumps` spacing.
  private static let pythonWriter = """
    import json, struct, sys
    import numpy as np
    arrays = [('w', 'F32', np.arange(6, dtype='<f4').reshape(2, 3) / 4),
              ('b', 'F64', np.array([1.5, -2.25], dtype='<f8')),
              ('step', 'F64', np.array(7.0, dtype='<f8')),
              ('none', 'F32', np.zeros((3, 0), dtype='<f4'))]
    header, data = {'__metadata__': {'source': 'python'}}, b''
    for name, dtype, array in arrays:
        raw = array.astype(array.dtype.newbyteorder('<')).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(array.shape),
                        'data_offsets': [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode('utf-8')
    open(sys.argv[1], 'wb').write(struct.pack('<Q', len(text)) + text + data)
    """

  private struct PythonView: Decodable {
    struct Tensor: Decodable {
      var dtype: String
      var shape: [Int]
      var values: [Double]
    }
    var metadata: [String: String]
    var dataStart: Int
    var tensors: [String: Tensor]
    var uncovered: Int
  }

  /// Whether `python3` runs, and whether it can import numpy; asked once for all tests.
  private static let hasPython =
    (try? ProcessRunner.run("/usr/bin/env", ["python3", "-c", "pass"]).status) == 0
  private static let hasNumpy =
    (try? ProcessRunner.run("/usr/bin/env", ["python3", "-c", "import numpy"]).status) == 0

  /// Runs `script` with `path` as its argument and returns what it printed.
  private func python(_ script: String, _ path: String, needsNumpy: Bool = false) throws -> String {
    guard Self.hasPython else { throw XCTSkip("python3 is not available") }
    if needsNumpy, !Self.hasNumpy { throw XCTSkip("python3 has no numpy") }
    let result = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, path])
    guard result.status == 0 else {
      throw FixtureFailure(description: "python3 failed: \(result.standardError)")
    }
    return result.standardOutput
  }

  func testNumpyReadsWhatSwiftWrites() throws {
    let path = try CPluginBuilder.temporaryFolder() + "/swift.safetensors"
    let weights: [Float] = [0.5, -1.25, 3, 1e-7, 65504, -0.1]
    try SafetensorsFile.write(
      tensors: [
        SafetensorsTensor(name: "w", shape: [2, 3], values: weights),
        SafetensorsTensor(name: "b", shape: [3], values: [0.1, -2.5, 1e300]),
        SafetensorsTensor(name: "step", shape: [], values: [Double(42)]),
        SafetensorsTensor(name: "none", shape: [0, 4], values: [Float]()),
      ],
      metadata: ["model": "dense", "épreuve": "ü"], to: path)
    let output = try python(Self.pythonReader, path)
    let view = try JSONDecoder().decode(PythonView.self, from: Data(output.utf8))
    XCTAssertEqual(view.metadata, ["model": "dense", "épreuve": "ü"])
    XCTAssertEqual(view.dataStart % 8, 0)
    XCTAssertEqual(view.uncovered, 0)
    XCTAssertEqual(view.tensors["w"]?.dtype, "F32")
    XCTAssertEqual(view.tensors["w"]?.shape, [2, 3])
    XCTAssertEqual(view.tensors["w"]?.values.map(Float.init), weights)
    XCTAssertEqual(view.tensors["b"]?.dtype, "F64")
    XCTAssertEqual(view.tensors["b"]?.values, [0.1, -2.5, 1e300])
    XCTAssertEqual(view.tensors["step"]?.shape, [])
    XCTAssertEqual(view.tensors["step"]?.values, [42])
    XCTAssertEqual(view.tensors["none"]?.shape, [0, 4])
    XCTAssertEqual(view.tensors["none"]?.values, [])
  }

  func testSwiftReadsWhatPythonWrites() throws {
    let path = try CPluginBuilder.temporaryFolder() + "/python.safetensors"
    _ = try python(Self.pythonWriter, path, needsNumpy: true)
    let file = try SafetensorsFile.read(path)
    XCTAssertEqual(file.metadata, ["source": "python"])
    XCTAssertEqual(file.tensors.map(\.name), ["w", "b", "step", "none"])
    XCTAssertEqual(file["w"]?.shape, [2, 3])
    XCTAssertEqual(file["w"]?.floats(), [0, 0.25, 0.5, 0.75, 1, 1.25])
    XCTAssertEqual(file["b"]?.doubles(), [1.5, -2.25])
    XCTAssertEqual(file["step"]?.shape, [])
    XCTAssertEqual(file["step"]?.doubles(), [7])
    XCTAssertEqual(file["none"]?.shape, [3, 0])
    XCTAssertEqual(file["none"]?.floats(), [])
  }

  /// A checkpoint (θ, momentum velocities, persistent states) reads in Python with the values
  /// the session holds.
  func testPythonReadsACheckpoint() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let config = try RunConfig.resolve(
      ConfigParser.parse(text: TinyRun.config, source: "tiny.yaml"), source: "tiny.yaml", catalog: catalog)
    let job = try TrainingJob(config: config)
    _ = try Trainer(session: job.session, train: job.train, test: job.test).run { _ in }
    let folder = try CPluginBuilder.temporaryFolder()
    var progress = TrainingProgress()
    progress.epochsDone = 3
    try CheckpointSlot.latest(in: folder).write(
      job.session, state: job.session.trainingStateTensors(), progress: progress,
      batchesPerEpoch: 20, metricsOffset: 0, testError: nil)
    let output = try python(Self.pythonReader, folder + "/checkpoint-e3-b0.safetensors")
    let view = try JSONDecoder().decode(PythonView.self, from: Data(output.utf8))
    XCTAssertEqual(view.metadata["format"], "eqprop checkpoint")
    XCTAssertEqual(view.uncovered, 0)
    let expected = job.session.parameterTensors() + (try job.session.trainingStateTensors())
    XCTAssertEqual(
      Set(view.tensors.keys),
      ["W01", "b0", "W1x", "b1", "optimizer/W01", "optimizer/b0", "optimizer/W1x", "optimizer/b1",
        "persistent/s0", "persistent/s1"])
    for tensor in expected {
      let read = try XCTUnwrap(view.tensors[tensor.name], tensor.name)
      XCTAssertEqual(read.dtype, "F32")
      XCTAssertEqual(read.shape, tensor.shape)
      XCTAssertEqual(read.values.map(Float.init), tensor.floats(), tensor.name)
    }
    XCTAssertEqual(view.tensors["persistent/s1"]?.shape, [400, 16])
  }
}
