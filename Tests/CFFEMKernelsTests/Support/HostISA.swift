// CFFEMKernelsTests — HostISA.swift: the ISAs this machine can run, as test arguments.
import CFFEMKernels

/// One FFEM_ISA_* bit that the host supports.
struct HostISA: Sendable, CustomStringConvertible {
    let bit: UInt32

    var description: String { String(cString: ffem_isa_name(bit)) }

    /// The kernel table of exactly this ISA (plus the scalar fallbacks for ops it lacks).
    var table: ffem_kernel_table {
        var table = ffem_kernel_table()
        ffem_kernel_table_fill(&table, bit | UInt32(FFEM_ISA_SCALAR))
        return table
    }

    /// The scalar table: the oracle.
    static var scalarTable: ffem_kernel_table { HostISA(bit: UInt32(FFEM_ISA_SCALAR)).table }

    /// Every ISA bit in ffem_cpu_features(), scalar first.
    static let all: [HostISA] = {
        let features = ffem_cpu_features()
        return (0..<32).map { UInt32(1) << UInt32($0) }.filter { features & $0 != 0 }.map { HostISA(bit: $0) }
    }()

    /// The host's SIMD ISAs (everything but scalar).
    static let simd: [HostISA] = all.filter { $0.bit != UInt32(FFEM_ISA_SCALAR) }
}
