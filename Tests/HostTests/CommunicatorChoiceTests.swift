import TestSupport
import XCTest

@testable import EqpropHost

/// `--communicator auto|none|ID`, the launcher a process's environment shows, and what
/// `Communicators.open` makes of both.
final class CommunicatorChoiceTests: XCTestCase {
  func testChoiceParsing() {
    XCTAssertEqual(CommunicatorChoice("auto"), .automatic)
    XCTAssertEqual(CommunicatorChoice("none"), .singleProcess)
    XCTAssertEqual(CommunicatorChoice("mpi"), .plugin("mpi"))
    XCTAssertEqual(CommunicatorChoice("my-nccl_2"), .plugin("my-nccl_2"))
    XCTAssertNil(CommunicatorChoice(""))
    XCTAssertNil(CommunicatorChoice("MPI"))
    XCTAssertNil(CommunicatorChoice("lib/mpi"))
  }

  func testLauncherDetection() {
    XCTAssertNil(Launcher.detect(in: ["PATH": "/usr/bin", "SLURM_JOB_ID": "7"]))
    for variable in ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"] {
      XCTAssertEqual(Launcher.detect(in: [variable: "1"])?.variable, variable)
    }
    // Open MPI's mpirun sets its own and PMIx's variables: the message names Open MPI.
    let both = Launcher.detect(in: ["PMIX_RANK": "1", "OMPI_COMM_WORLD_SIZE": "2"])
    XCTAssertEqual(both?.description, "OMPI_COMM_WORLD_SIZE=2 is set: Open MPI's mpirun started this process")
  }

  func testNoLauncherOpensASingleProcess() throws {
    let communicator = try Communicators.open(.automatic, catalog: emptyCatalog(), environment: [:])
    XCTAssertTrue(communicator is SingleProcess)
  }

  func testNoneOpensASingleProcessEvenUnderALauncher() throws {
    let communicator = try Communicators.open(
      .singleProcess, catalog: emptyCatalog(), environment: ["OMPI_COMM_WORLD_SIZE": "2"])
    XCTAssertTrue(communicator is SingleProcess)
  }

  func testLauncherWithoutTheMPIPluginSaysWhatToDo() throws {
    XCTAssertThrowsError(
      try Communicators.open(.automatic, catalog: emptyCatalog(), environment: ["PMIX_RANK": "0"])
    ) { error in
      let message = "\(error)"
      for fragment in [
        "PMIX_RANK=0 is set", "no communicator plugin with id 'mpi' was found",
        "scripts/install-packages installs libopenmpi-dev", "--communicator none",
      ] {
        XCTAssertTrue(message.contains(fragment), "«\(message)» lacks «\(fragment)»")
      }
    }
  }

  func testNamedPluginThatDoesNotExistIsAnError() throws {
    XCTAssertThrowsError(
      try Communicators.open(.plugin("nccl"), catalog: emptyCatalog(), environment: [:])
    ) { error in
      XCTAssertEqual("\(error)", "no communicator plugin with id 'nccl' was found; none are installed")
    }
  }

  private func emptyCatalog() throws -> PluginCatalog {
    PluginCatalog.load(PluginSearchPath(folders: [try CPluginBuilder.temporaryFolder()]))
  }
}
