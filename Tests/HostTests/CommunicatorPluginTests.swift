import TestSupport
import XCTest

@testable import EqpropHost

/// The loader takes communicator plugins (ABI 1.3), and `PluginCommunicator` forwards to them.
/// A communicator missing a required function: MalformedPluginCorpusTests.
final class CommunicatorPluginTests: XCTestCase {
  func testShippedMPIPluginIsListedAsACommunicator() throws {
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [RepositoryPaths.binaryFolder]))
    let mpi = try catalog.find(.communicator, id: "mpi")
    XCTAssertEqual(mpi.kind.name, "communicator")
    XCTAssertEqual(mpi.file, RepositoryPaths.binaryFolder + "/libeqprop_mpi.so")
    XCTAssertEqual(mpi.library.requiredHostMinor, 3)
    XCTAssertEqual(mpi.capabilityNames, [])
    XCTAssertEqual(catalog.refusals.filter { $0.file.hasSuffix("libeqprop_mpi.so") }, [])
    let row = PluginListing.table(catalog).split(separator: "\n").first { $0.hasPrefix("mpi ") }
    XCTAssertTrue(row?.contains(" communicator ") == true, "\(row ?? "no mpi row")")
  }

  func testPluginCommunicatorForwardsToTheVTable() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    try CPluginBuilder.communicatorFixture(into: folder)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    let job = try Communicators.open(.plugin("fake"), catalog: catalog, environment: [:])
    XCTAssertTrue(job is PluginCommunicator)
    XCTAssertEqual(job.library, "fake transport")
    XCTAssertEqual(
      try CommunicatorCheck.run(job),
      "1 rank over fake transport: allreduce_sum, broadcast, allgather, barrier agree")
    job.close()
    XCTAssertThrowsError(try job.barrier()) { error in
      XCTAssertTrue("\(error)".hasSuffix("barrier failed: the communicator was closed"), "\(error)")
    }
  }

  func testFailedCollectiveNamesThePluginAndTheCall() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    let file = try CPluginBuilder.communicatorFixture(["COMMUNICATOR_BARRIER_FAILS"], into: folder)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    let job = try PluginCommunicator(catalog.find(.communicator, id: "fake"))
    XCTAssertThrowsError(try job.barrier()) { error in
      XCTAssertEqual(
        "\(error)",
        "communicator 'fake' (\(file)): barrier failed: I/O error: fake: barrier fails on purpose")
    }
  }

  /// The plugin as a machine without MPI builds it: it lists without a refusal, and a launched
  /// process learns what to install.
  func testMPIPluginBuiltWithoutMPIExplainsItselfWhenNeeded() throws {
    let folder = try CPluginBuilder.temporaryFolder()
    try CPluginBuilder.mpiCommunicator(into: folder)
    let catalog = PluginCatalog.load(PluginSearchPath(folders: [folder]))
    XCTAssertEqual(catalog.refusals, [])
    XCTAssertTrue(try catalog.find(.communicator, id: "mpi").description.hasPrefix("Unavailable"))
    XCTAssertTrue(try Communicators.open(.automatic, catalog: catalog, environment: [:]) is SingleProcess)
    XCTAssertThrowsError(
      try Communicators.open(
        .automatic, catalog: catalog, environment: ["OMPI_COMM_WORLD_SIZE": "2"])
    ) { error in
      let message = "\(error)"
      for fragment in [
        "OMPI_COMM_WORLD_SIZE=2 is set", "eqprop_mpi was built without MPI headers",
        "install libopenmpi-dev", "--communicator none",
      ] {
        XCTAssertTrue(message.contains(fragment), "«\(message)» lacks «\(fragment)»")
      }
    }
  }
}
