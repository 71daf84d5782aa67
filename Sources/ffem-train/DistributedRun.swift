// ffem-train — running a command as one rank of an `mpirun` job, or as a plain process.
import FFEMCLI
import FFEMTrain
import Foundation

/// Runs `body` with the job's communicator: MPI's world when this process was started by `mpirun`
/// (MPI is initialised here, finalised after `body`), a single process otherwise (MPI untouched).
///
/// In a job of several ranks an error on any rank must end the whole job, or the others wait in
/// their next collective for ever: the failing rank prints the error and calls `MPI_Abort` with the
/// command's exit status (64 usage, 65 bad data, 1 other), which makes `mpirun` end every rank.
func withJobCommunicator(_ body: (any Communicator) throws(CommandError) -> Void) throws(CommandError) {
    guard MPICommunicator.launchedByMPIRun else { return try body(SingleProcess()) }
    let communicator = MPICommunicator()
    if communicator.size > 1 {
        let host = ProcessInfo.processInfo.hostName
        FileHandle.standardError.write(Data("ffem-train: rank \(communicator.rank) of \(communicator.size), pid \(getpid()), host \(host)\n".utf8))
    }
    do {
        try body(communicator)
    } catch {
        guard communicator.size > 1 else {
            communicator.finalize()
            throw error
        }
        communicator.abort("Error (rank \(communicator.rank) of \(communicator.size)): \(error.message)\nffem-train: stopping every rank of the job.",
                           status: error.exitStatus)
    }
    communicator.finalize()
}

/// Prints on rank 0 only (every rank runs the same code; one copy of each line is enough).
func printOnRoot(_ communicator: any Communicator, _ line: String) {
    if communicator.isRoot { print(line) }
}
