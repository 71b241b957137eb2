import ArgumentParser
import EqpropHost
import Foundation

/// `eqprop communicator`: joins the job as `train` would and checks every collective.
struct CommunicatorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "communicator",
    abstract: "Check that the processes of a launch can talk: run this first on a cluster.",
    discussion: """
      Run it as the job would run, e.g. `mpirun -np 2 eqprop communicator`. Every rank checks \
      allreduce_sum (f32, f64, i64; small and large), broadcast, allgather (unequal counts, \
      one empty) and barrier against known answers; rank 0 prints one line. A disagreement \
      names the collective, the rank and the values, and ends the whole job with status 1.
      """)

  @OptionGroup(title: "Communicator")
  var communicator: CommunicatorOptions

  @OptionGroup(title: "Plugins")
  var plugins: PluginSearchOptions

  func run() throws {
    let job: any Communicator
    do {
      job = try Communicators.open(communicator.choice, catalog: plugins.catalog)
    } catch {
      FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
      throw ExitCode(1)
    }
    do {
      let line = try CommunicatorCheck.run(job)
      job.close()
      if job.isLeader { print(line) }
    } catch {
      FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
      // The other ranks may be waiting in a collective: end them all.
      job.abort(code: 1)
    }
  }
}
