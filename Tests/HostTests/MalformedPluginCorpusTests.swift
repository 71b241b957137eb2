@preconcurrency import CEqprop
import Foundation
import TestSupport
import XCTest

/// The malformed-plugin corpus: every way a plugin can be wrong that the host must survive,
/// one row each, built from a fixture with one macro and run through the `eqprop` binary, so
/// that a crash shows as a signal instead of killing the tests. Each row must end with exit
/// status 1 and a message naming the file, the plugin (where one is readable) and what was
/// wrong. A plugin that crashes in its own code cannot be contained in-process (README, "Trust
/// model"), so no row does that.
final class MalformedPluginCorpusTests: XCTestCase {
  /// Which fixture a row builds, alone in a fresh folder.
  enum Build {
    /// Tests/Fixtures/plugins/fixture_plugin.c: learner "fixture".
    case learner([String])
    /// Tests/Fixtures/plugins/faulty_model.c: model "faulty".
    case model([String])
    /// Tests/Fixtures/plugins/communicator_plugin.c: communicator "fake".
    case communicator([String])
    /// The valid learner fixture twice in one folder, as liba_fixture.so and libb_fixture.so.
    case learnerTwice
    /// A text file named like a library.
    case notALibrary
  }

  /// How far the host gets with the plugin.
  enum Stage {
    /// `eqprop plugins`: refused at load.
    case listing
    /// `eqprop config check`: stopped when the plugins start (init, create, describe).
    case start
    /// `eqprop train` on 20 MNIST images: stopped during the first batch.
    case training
  }

  struct Case {
    var name: String
    var build: Build
    var stage: Stage
    /// The plugin the message must name in quotes; nil where no id is readable.
    var plugin: String?
    var saying: [String]
    /// False only where the host cannot tell which file is at fault (see the NaN row).
    var namesFile = true
  }

  static let minor = Int(EQP_ABI_MINOR)

  static let corpus: [Case] = [
    // The library record, in the loader's order.
    Case(
      name: "no entry symbol", build: .learner(["FIXTURE_NO_ENTRY"]), stage: .listing,
      saying: ["does not export `eqp_plugin_entry`", "is it an eqprop plugin?"]),
    Case(
      name: "not a shared library", build: .notALibrary, stage: .listing,
      saying: ["dlopen failed"]),
    Case(
      name: "entry returning NULL", build: .learner(["FIXTURE_NULL_RESULT"]), stage: .listing,
      saying: ["eqp_plugin_entry returned NULL"]),
    Case(
      name: "wrong magic", build: .learner(["FIXTURE_BAD_MAGIC"]), stage: .listing,
      saying: ["EQP_Library.magic is 0xdeadbeef", "expected 0x31505145"]),
    Case(
      name: "struct_size below the frozen prefix", build: .learner(["FIXTURE_SHORT_PREFIX"]),
      stage: .listing, saying: ["EQP_Library.struct_size is 12", "frozen prefix"]),
    Case(
      name: "other major", build: .learner(["FIXTURE_OTHER_MAJOR"]), stage: .listing,
      saying: ["built for ABI 2.\(minor)", "major versions must match"]),
    Case(
      name: "newer minor requiring a newer host", build: .learner(["FIXTURE_NEEDS_NEWER_HOST"]),
      stage: .listing, saying: ["requires a host of ABI 1.\(minor + 1) or newer", "update eqprop"]),
    Case(
      name: "library struct_size too small", build: .learner(["FIXTURE_SHORT_LIBRARY"]),
      stage: .listing, saying: ["EQP_Library.struct_size is 64", "below the 72 bytes"]),
    // One descriptor.
    Case(
      name: "descriptor struct_size too small", build: .learner(["FIXTURE_SHORT_DESCRIPTOR"]),
      stage: .listing,
      saying: ["EQP_PluginDescriptor.struct_size of plugins[0] is 48", "below the 56 bytes"]),
    Case(
      name: "NULL id", build: .learner(["FIXTURE_ID=NULL"]), stage: .listing,
      saying: ["EQP_PluginDescriptor.id of plugins[0] is NULL"]),
    Case(
      name: "id with illegal characters", build: .learner(["FIXTURE_ID=\"Bad/Id\""]),
      stage: .listing, plugin: "Bad/Id", saying: ["is not of the form [a-z0-9_-]+"]),
    Case(
      name: "unknown kind", build: .learner(["FIXTURE_UNKNOWN_KIND"]), stage: .listing,
      plugin: "fixture", saying: ["has kind 9, unknown to this host"]),
    Case(
      name: "vtable struct_size too small", build: .learner(["FIXTURE_SHORT_VTABLE"]),
      stage: .listing, plugin: "fixture",
      saying: ["EQP_LearnerVTable.struct_size is", "ABI 1.0 requires (through train_batch)"]),
    Case(
      name: "NULL required function of a model", build: .model(["FAULTY_NULL_PREDICT"]),
      stage: .listing, plugin: "faulty",
      saying: ["EQP_ModelVTable.predict is NULL, but every model must provide it"]),
    Case(
      name: "NULL required function of a dynamics", build: .learner(["FIXTURE_NULL_DYNAMICS_RUN"]),
      stage: .listing, plugin: "liar",
      saying: ["EQP_DynamicsVTable.run is NULL, but every dynamics must provide it"]),
    Case(
      name: "NULL required function of a learner", build: .learner(["FIXTURE_NULL_TRAIN_BATCH"]),
      stage: .listing, plugin: "fixture",
      saying: ["EQP_LearnerVTable.train_batch is NULL, but every learner must provide it"]),
    Case(
      name: "NULL required function of a communicator",
      build: .communicator(["COMMUNICATOR_NULL_ALLGATHER"]), stage: .listing, plugin: "fake",
      saying: ["EQP_CommunicatorVTable.allgather is NULL, but every communicator must provide it"]),
    Case(
      name: "capability without its function", build: .learner(["FIXTURE_DYNAMICS_CAP_LIE"]),
      stage: .listing, plugin: "liar",
      saying: ["declares the 'step_vjp' capability but EQP_DynamicsVTable.step_vjp is NULL"]),
    Case(
      name: "option without default or required flag",
      build: .learner(["FIXTURE_OPTION_WITHOUT_DEFAULT"]), stage: .listing, plugin: "fixture",
      saying: ["option 'scale' is neither required nor given a default value"]),
    Case(
      name: "signature string malformed", build: .learner(["FIXTURE_BAD_SIGNATURE"]),
      stage: .listing, plugin: "fixture",
      saying: ["function 'batches': signature \"d(px)\" has 'x' at position 4"]),
    // Two files: the same id twice in one folder is refused, naming both (an id in an earlier
    // folder shadows a later one with a notice instead: PluginCompatibilityTests).
    Case(
      name: "duplicate id across two files", build: .learnerTwice, stage: .listing,
      plugin: "fixture", saying: ["learner id 'fixture' is defined twice in", "remove one"]),
    // Starting the plugins.
    Case(
      name: "init failing", build: .learner(["FIXTURE_INIT_FAILS"]), stage: .start,
      plugin: "fixture",
      saying: ["init of library 'fixture' failed: internal error: fixture init refuses"]),
    Case(
      name: "create returning an error code", build: .model(["FAULTY_FAILS_IN=create"]),
      stage: .start, plugin: "faulty",
      saying: ["create failed: internal error: faulty: create fails on purpose"]),
    Case(
      name: "layout without layers", build: .model(["FAULTY_NO_LAYERS"]), stage: .start,
      plugin: "faulty", saying: ["describe failed: layer_count is 0"]),
    Case(
      name: "layout with fewer layers than layer_count", build: .model(["FAULTY_MISSING_LAYER"]),
      stage: .start, plugin: "faulty", saying: ["describe failed: layers[1] is NULL"]),
    Case(
      name: "layout with a zero extent", build: .model(["FAULTY_WIDTH=0"]), stage: .start,
      plugin: "faulty", saying: ["describe failed: layers[0] has shape [0]"]),
    Case(
      name: "layout with a negative extent", build: .model(["FAULTY_WIDTH=-3"]), stage: .start,
      plugin: "faulty", saying: ["describe failed: layers[0] has shape [-3]"]),
    Case(
      name: "layout whose parameter size overflows", build: .model(["FAULTY_HUGE_PARAM"]),
      stage: .start, plugin: "faulty",
      saying: ["params[0] has shape [2147483648, 2147483648, 2147483648], more than 2^40"]),
    Case(
      name: "layout whose lr_group_count disagrees", build: .model(["FAULTY_LR_GROUPS"]),
      stage: .start, plugin: "faulty",
      saying: ["describe failed: lr_group_count is 3", "(expected 1)"]),
    // Training.
    Case(
      name: "model call returning an error code", build: .model(["FAULTY_FAILS_IN=drive"]),
      stage: .training, plugin: "faulty",
      saying: [
        "train_batch (epoch 1, batch 1) failed",
        "drive failed: internal error: faulty: drive fails on purpose",
      ]),
    Case(
      name: "learner call returning an error code", build: .learner(["FIXTURE_TRAIN_BATCH_FAILS"]),
      stage: .training, plugin: "fixture",
      saying: ["train_batch (epoch 1, batch 1) failed: numeric error: fixture: train_batch fails"]),
    // The session checks the states each phase leaves: it sees which dynamics ran the phase,
    // not which model's drive fed it NaN, so the message names the dynamics, the phase and
    // the layer, not the model's file.
    Case(
      name: "model writing NaN into states", build: .model(["FAULTY_NAN_DRIVE"]), stage: .training,
      plugin: "discrete", saying: ["non-finite values (NaN or Inf)", "s0", "3 steps"],
      namesFile: false),
  ]

  func testEveryMalformedPluginIsRefusedOrStoppedWithASentence() throws {
    XCTAssertGreaterThanOrEqual(Self.corpus.count, 20)
    for row in Self.corpus {
      let folder = try CPluginBuilder.temporaryFolder("eqprop-corpus")
      addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
      let files = try build(row.build, into: folder)
      let result = try run(row, folder: folder)
      let output = result.standardOutput + result.standardError
      XCTAssertNil(result.signal, "\(row.name): the host crashed:\n\(output)")
      XCTAssertEqual(result.status, 1, "\(row.name): exit status, output:\n\(output)")
      // The sentence is the line that says what was wrong.
      let line = output.split(separator: "\n").first { $0.contains(row.saying[0]) } ?? ""
      XCTAssertFalse(line.isEmpty, "\(row.name): no «\(row.saying[0])» in:\n\(output)")
      var wanted = row.saying
      if row.namesFile { wanted += files }
      if let plugin = row.plugin { wanted.append("'\(plugin)'") }
      for fragment in wanted {
        XCTAssertTrue(line.contains(fragment), "\(row.name): «\(line)» lacks «\(fragment)»")
      }
    }
  }

  // MARK: Building and running

  /// Builds the row's fixture into `folder`; returns the files the message must name.
  private func build(_ build: Build, into folder: String) throws -> [String] {
    switch build {
    case .learner(let defines): return [try CPluginBuilder.fixture(defines, into: folder)]
    case .model(let defines): return [try CPluginBuilder.faultyModel(defines, into: folder)]
    case .communicator(let defines):
      return [try CPluginBuilder.communicatorFixture(defines, into: folder)]
    case .learnerTwice:
      return try ["a_fixture", "b_fixture"].map {
        try CPluginBuilder.fixture(name: $0, into: folder)
      }
    case .notALibrary:
      let path = folder + "/libjunk.so"
      try "not an ELF file".write(toFile: path, atomically: true, encoding: .utf8)
      return [path]
    }
  }

  private func run(_ row: Case, folder: String) throws -> ProcessRunner.Result {
    var arguments: [String]
    switch row.stage {
    case .listing: arguments = ["plugins"]
    case .start: arguments = ["config", "check", try config(for: row.build, in: folder)]
    case .training:
      arguments = [
        "train", try config(for: row.build, in: folder), "--out", folder + "/run", "--quiet",
      ]
    }
    var environment = ProcessInfo.processInfo.environment
    environment["EQPROP_THREADS"] = "1"
    return try ProcessRunner.run(
      RepositoryPaths.binaryFolder + "/eqprop", arguments + ["--plugins", folder],
      environment: environment)
  }

  /// A config of 20 MNIST images that uses the row's plugin with shipped ones around it.
  private func config(for build: Build, in folder: String) throws -> String {
    let plugins: String
    switch build {
    case .model:
      plugins = """
        model: {id: faulty}
        dynamics: {id: discrete, free_steps: 3}
        learner: {id: ep, nudged_steps: 1, beta: 0.5}
        optimizer: {lr: [0.1]}
        """
    default:
      plugins = """
        model: {id: dense, layers: [10, 16, 784]}
        dynamics: {id: discrete, free_steps: 3}
        learner: {id: fixture}
        optimizer: {lr: [0.1, 0.1]}
        """
    }
    let path = folder + "/corpus.yaml"
    try """
    seed: 1
    \(plugins)
    training: {epochs: 1, batch_size: 10, train_limit: 20, test_limit: 10}
    data: {dir: \(RepositoryPaths.mnist)}
    """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }
}
