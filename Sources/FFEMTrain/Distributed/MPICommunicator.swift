// FFEMTrain — MPICommunicator.swift: `Communicator` over MPI_COMM_WORLD (Open MPI).
import CMPI
import Foundation

/// The world communicator of a job started by `mpirun`.
///
/// **Start.** `MPICommunicator.launchedByMPIRun` tells from the launcher's environment whether this
/// process is a rank of an `mpirun` job; only then does ffem-train call `MPI_Init`, so a plain
/// `ffem-train …` never touches MPI. Only the main thread calls MPI (`MPI_THREAD_FUNNELED`).
///
/// **Failure.** The world communicator returns errors (`MPI_ERRORS_RETURN`) instead of Open MPI's
/// default of aborting inside the library without context; any error prints
/// "ffem-train: rank r of N: MPI_Allreduce failed: <MPI's text>" and aborts the whole job
/// (`MPI_Abort`), so no rank is left waiting. A rank that dies outright (killed, crashed, or exits
/// with a non-zero status) is seen by `mpirun`, which ends the other ranks and names the dead one.
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int

    /// True when this process was started by `mpirun`/`mpiexec` (Open MPI's or a PMI launcher's variables).
    public static var launchedByMPIRun: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["OMPI_COMM_WORLD_SIZE"] != nil || environment["PMI_SIZE"] != nil || environment["PMIX_RANK"] != nil
    }

    /// Initialises MPI (once per process) and joins the world communicator.
    public init() {
        var provided: Int32 = 0
        var argc: Int32 = 0
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        let status = MPI_Init_thread(&argc, &argv, Int32(MPI_THREAD_FUNNELED), &provided)
        guard status == ffem_mpi_success() else {
            FileHandleOutput.standardError("ffem-train: MPI_Init failed (status \(status))")
            exit(1)
        }
        MPI_Comm_set_errhandler(ffem_mpi_comm_world(), ffem_mpi_errors_return())
        var r: Int32 = 0, s: Int32 = 0
        MPI_Comm_rank(ffem_mpi_comm_world(), &r)
        MPI_Comm_size(ffem_mpi_comm_world(), &s)
        rank = Int(r)
        size = Int(s)
    }

    /// Leaves MPI; call once on every rank after the last collective.
    public func finalize() { MPI_Finalize() }

    func check(_ status: Int32, _ operation: String) {
        guard status != ffem_mpi_success() else { return }
        var text = [CChar](repeating: 0, count: Int(ffem_mpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(status, &text, &length)
        abort("ffem-train: rank \(rank) of \(size): \(operation) failed: \(String(cString: text)); stopping the job", status: 1)
    }

    public func allreduceSum(_ values: UnsafeMutablePointer<Float>, count: Int) {
        check(MPI_Allreduce(ffem_mpi_in_place(), values, Int32(count), ffem_mpi_float(), ffem_mpi_sum(), ffem_mpi_comm_world()), "MPI_Allreduce")
    }

    public func allreduceSum(_ values: UnsafeMutablePointer<Double>, count: Int) {
        check(MPI_Allreduce(ffem_mpi_in_place(), values, Int32(count), ffem_mpi_double(), ffem_mpi_sum(), ffem_mpi_comm_world()), "MPI_Allreduce")
    }

    public func allreduceMax(_ values: UnsafeMutablePointer<Float>, count: Int) {
        check(MPI_Allreduce(ffem_mpi_in_place(), values, Int32(count), ffem_mpi_float(), ffem_mpi_max(), ffem_mpi_comm_world()), "MPI_Allreduce")
    }

    public func allgather(_ values: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        check(MPI_Allgather(values, Int32(count), ffem_mpi_float(), out, Int32(count), ffem_mpi_float(), ffem_mpi_comm_world()), "MPI_Allgather")
    }

    public func broadcast(_ values: UnsafeMutablePointer<Float>, count: Int, root: Int) {
        check(MPI_Bcast(values, Int32(count), ffem_mpi_float(), Int32(root), ffem_mpi_comm_world()), "MPI_Bcast")
    }

    public func broadcast(_ values: UnsafeMutablePointer<Double>, count: Int, root: Int) {
        check(MPI_Bcast(values, Int32(count), ffem_mpi_double(), Int32(root), ffem_mpi_comm_world()), "MPI_Bcast")
    }

    public func gather(_ values: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>?, root: Int) {
        check(MPI_Gather(values, Int32(count), ffem_mpi_float(), out, Int32(count), ffem_mpi_float(), Int32(root), ffem_mpi_comm_world()), "MPI_Gather")
    }

    public func barrier() {
        check(MPI_Barrier(ffem_mpi_comm_world()), "MPI_Barrier")
    }

    public func abort(_ message: String, status: Int32) -> Never {
        FileHandleOutput.standardError(message)
        MPI_Abort(ffem_mpi_comm_world(), status)
        exit(status)
    }
}

/// Writes one line to standard error (unbuffered, so it is not lost when the job is killed).
enum FileHandleOutput {
    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
