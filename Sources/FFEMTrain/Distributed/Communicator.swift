// FFEMTrain — Communicator.swift: the collective operations data-parallel training needs, and the
import Foundation
// single-process stand-in that makes them no-ops.

/// A group of `size` processes (ranks 0..<size) running the same program. Every call is collective:
/// all ranks make the same calls in the same order with the same counts, or the job hangs (MPI's
/// rule). Results are identical on every rank. Errors end the job (see `MPICommunicator`), so the
/// calls do not throw.
public protocol Communicator: AnyObject {
    var rank: Int { get }
    var size: Int { get }
    /// values[i] ← Σ_ranks values[i] (in place, `count` floats).
    func allreduceSum(_ values: UnsafeMutablePointer<Float>, count: Int)
    /// values[i] ← Σ_ranks values[i] (in place, `count` doubles).
    func allreduceSum(_ values: UnsafeMutablePointer<Double>, count: Int)
    /// values[i] ← max_ranks values[i] (in place, `count` floats).
    func allreduceMax(_ values: UnsafeMutablePointer<Float>, count: Int)
    /// out[r·count ..< (r+1)·count] ← rank r's `values` (out holds size·count floats).
    func allgather(_ values: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>)
    /// values ← rank `root`'s values.
    func broadcast(_ values: UnsafeMutablePointer<Float>, count: Int, root: Int)
    func broadcast(_ values: UnsafeMutablePointer<Double>, count: Int, root: Int)
    /// Rank `root` receives every rank's `count` floats in rank order (others pass out nil).
    func gather(_ values: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>?, root: Int)
    /// Returns when every rank has called it.
    func barrier()
    /// Ends every rank of the job with `status` after printing `message` (never returns).
    func abort(_ message: String, status: Int32) -> Never
}

extension Communicator {
    public var isRoot: Bool { rank == 0 }

    public func allreduceSum(_ values: inout [Double]) {
        let count = values.count
        values.withUnsafeMutableBufferPointer { allreduceSum($0.baseAddress!, count: count) }
    }

    public func allreduceSum(_ values: inout [Float]) {
        let count = values.count
        values.withUnsafeMutableBufferPointer { allreduceSum($0.baseAddress!, count: count) }
    }

    public func allreduceMax(_ values: inout [Float]) {
        let count = values.count
        values.withUnsafeMutableBufferPointer { allreduceMax($0.baseAddress!, count: count) }
    }

    /// One Double from rank `root` to every rank.
    public func broadcast(_ value: Double, root: Int) -> Double {
        var v = value
        broadcast(&v, count: 1, root: root)
        return v
    }
}

/// One process, no peers: reductions and broadcasts leave their input as it is.
public final class SingleProcess: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allreduceSum(_ values: UnsafeMutablePointer<Float>, count: Int) {}
    public func allreduceSum(_ values: UnsafeMutablePointer<Double>, count: Int) {}
    public func allreduceMax(_ values: UnsafeMutablePointer<Float>, count: Int) {}
    public func allgather(_ values: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        out.update(from: values, count: count)
    }
    public func broadcast(_ values: UnsafeMutablePointer<Float>, count: Int, root: Int) {}
    public func broadcast(_ values: UnsafeMutablePointer<Double>, count: Int, root: Int) {}
    public func gather(_ values: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>?, root: Int) {
        out?.update(from: values, count: count)
    }
    public func barrier() {}
    public func abort(_ message: String, status: Int32) -> Never {
        FileHandleOutput.standardError(message)
        Foundation.exit(status)
    }
}
