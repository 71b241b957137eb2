import Foundation

/// Builds small C plugins for the tests with the one `cc` command a plugin author uses.
public enum CPluginBuilder {
  /// A fresh empty folder under the system's temporary folder.
  public static func temporaryFolder(_ name: String = "eqprop-test") throws -> String {
    let path = NSTemporaryDirectory() + name + "-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Compiles `source` into `folder/lib<name>.so` with `cc -shared -fPIC -std=c11 -Wall
  /// -Wextra -Werror`, against `includeFolder` (the current header unless a fixture's), linking
  /// `libraries` (`["m"]` is `-lm`).
  @discardableResult
  public static func build(
    source: String, name: String, into folder: String, defines: [String] = [],
    includeFolder: String = RepositoryPaths.includeFolder, libraries: [String] = []
  ) throws -> String {
    try build(
      sources: [source], name: name, into: folder, defines: defines,
      includeFolders: [includeFolder], libraries: libraries)
  }

  /// `build(source:)` for a plugin of several files and include folders, with `flags` (such
  /// as pkg-config's) before the sources.
  @discardableResult
  public static func build(
    sources: [String], name: String, into folder: String, defines: [String] = [],
    includeFolders: [String], flags: [String] = [], libraries: [String] = []
  ) throws -> String {
    let output = "\(folder)/lib\(name).so"
    let arguments =
      ["-shared", "-fPIC", "-std=c11", "-Wall", "-Wextra", "-Werror"]
      + includeFolders.flatMap { ["-I", $0] } + defines.map { "-D\($0)" } + flags + sources
      + libraries.map { "-l\($0)" } + ["-o", output]
    let result = try ProcessRunner.run("/usr/bin/env", ["cc"] + arguments)
    guard result.status == 0 else {
      throw BuildFailure(message: "cc \(arguments.joined(separator: " ")) failed:\n\(result.standardError)")
    }
    return output
  }

  /// A C example of the repository (`path` under examples/, e.g. "c-model/layered_energy.c")
  /// with the `cc` line of its header comment (and -Werror), alone in a fresh folder; returns
  /// the folder.
  public static func example(_ path: String, name: String, libraries: [String] = []) throws -> String {
    let folder = try temporaryFolder("eqprop-example")
    try build(
      source: RepositoryPaths.root + "/examples/" + path, name: name, into: folder, libraries: libraries)
    return folder
  }

  /// The fixture plugin (Tests/Fixtures/plugins/fixture_plugin.c) with `defines`.
  @discardableResult
  public static func fixture(
    _ defines: [String] = [], name: String = "fixture", into folder: String,
    includeFolder: String = RepositoryPaths.includeFolder
  ) throws -> String {
    try build(
      source: RepositoryPaths.fixtures + "/plugins/fixture_plugin.c", name: name, into: folder,
      defines: defines, includeFolder: includeFolder)
  }

  /// The faulty model (Tests/Fixtures/plugins/faulty_model.c): model "faulty", which
  /// misbehaves at run time in the one way `defines` ask for.
  @discardableResult
  public static func faultyModel(_ defines: [String] = [], into folder: String) throws -> String {
    try build(
      source: RepositoryPaths.fixtures + "/plugins/faulty_model.c", name: "faulty", into: folder,
      defines: defines)
  }

  /// The communicator fixture (Tests/Fixtures/plugins/communicator_plugin.c): communicator
  /// "fake", a job of one process, changed by `defines`.
  @discardableResult
  public static func communicatorFixture(_ defines: [String] = [], into folder: String) throws
    -> String
  {
    try build(
      source: RepositoryPaths.fixtures + "/plugins/communicator_plugin.c", name: "communicator",
      into: folder, defines: defines)
  }

  /// The shipped `mpi` communicator (Plugins/Communicators/MPI) built with plain `cc` and
  /// `flags`: without pkg-config's MPI flags it is the build of a machine without MPI.
  @discardableResult
  public static func mpiCommunicator(
    _ defines: [String] = [], flags: [String] = [], into folder: String
  ) throws -> String {
    let plugin = RepositoryPaths.root + "/Plugins/Communicators/MPI"
    return try build(
      sources: ["mpi_library.c", "mpi_communicator.c", "mpi_missing.c"].map { plugin + "/" + $0 },
      name: "eqprop_mpi", into: folder, defines: defines,
      includeFolders: [RepositoryPaths.includeFolder, plugin + "/include"], flags: flags)
  }

  /// The extension-function fixture (Tests/Fixtures/plugins/extension_plugin.c): learner
  /// "ext", one function per signature letter.
  @discardableResult
  public static func extensionFixture(_ defines: [String] = [], into folder: String) throws -> String {
    try build(
      source: RepositoryPaths.fixtures + "/plugins/extension_plugin.c", name: "extension",
      into: folder, defines: defines)
  }
}

public struct BuildFailure: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
