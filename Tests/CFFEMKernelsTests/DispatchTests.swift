// CFFEMKernelsTests — DispatchTests.swift: the kernel table never holds a kernel outside its mask; FFEM_ISA rules.
import CFFEMKernels
import Testing

@Suite struct DispatchTests {
    static func isas(of table: ffem_kernel_table) -> [(String, UInt32)] {
        [("gemm", table.gemm.isa), ("fc", table.fc.isa), ("conv3x3", table.conv3x3.isa),
         ("dwconv3x3", table.dwconv3x3.isa), ("gdconv", table.gdconv.isa), ("vadd", table.vadd.isa),
         ("vprelu", table.vprelu.isa), ("gavgpool", table.gavgpool.isa), ("requant", table.requant.isa),
         ("vclamp", table.vclamp.isa)]
    }

    /// Every subset of the host's features: each slot is filled, by a kernel whose ISA is in the mask.
    @Test func tableNeverPicksAnIsaOutsideTheMask() {
        let features = ffem_cpu_features()
        var subset: UInt32 = features
        while true {
            var table = ffem_kernel_table()
            ffem_kernel_table_fill(&table, subset)
            for (op, isa) in Self.isas(of: table) {
                #expect(isa != 0 && (isa & (subset | UInt32(FFEM_ISA_SCALAR))) == isa, "mask \(subset): \(op) uses ISA \(isa)")
            }
            #expect(table.gemm.ukernel != nil && table.dwconv3x3.ukernel != nil && table.vclamp.ukernel != nil)
            if subset == 0 { break }
            subset = (subset - 1) & features
        }
    }

    /// Even an all-ones mask (every ISA named) yields only kernels this CPU has.
    @Test func allOnesMaskNeverPicksAMissingIsa() {
        var table = ffem_kernel_table()
        ffem_kernel_table_fill(&table, UInt32.max)
        let features = ffem_cpu_features()
        for (op, isa) in Self.isas(of: table) {
            #expect(isa & features == isa, "\(op) uses ISA \(isa), features \(features)")
        }
    }

    @Test func fullMaskPicksTheBestIsaForGemm() {
        var table = ffem_kernel_table()
        let features = ffem_cpu_features()
        ffem_kernel_table_fill(&table, features)
        for isa in [FFEM_ISA_AVX512VNNI, FFEM_ISA_AVX2, FFEM_ISA_SSE41].map({ UInt32($0) }) where features & isa != 0 {
            #expect(table.gemm.isa == isa)
            break
        }
    }

    @Test func isaListKeepsOnlyNamedAvailableIsasPlusScalar() {
        let all = UInt32(FFEM_ISA_SCALAR | FFEM_ISA_SSE41 | FFEM_ISA_AVX2 | FFEM_ISA_AVX512VNNI)
        var flags: UInt32 = 99
        #expect(ffem_isa_mask_parse("avx2", all, &flags) == UInt32(FFEM_ISA_AVX2 | FFEM_ISA_SCALAR) && flags == 0)
        #expect(ffem_isa_mask_parse("scalar", all, &flags) == UInt32(FFEM_ISA_SCALAR))
        #expect(ffem_isa_mask_parse("sse41, avx512vnni", all, &flags)
                == UInt32(FFEM_ISA_SSE41 | FFEM_ISA_AVX512VNNI | FFEM_ISA_SCALAR) && flags == 0)
        #expect(ffem_isa_mask_parse(nil, all, &flags) == all)
        #expect(ffem_isa_mask_parse("", all, &flags) == all)
    }

    @Test func unavailableAndUnknownIsasAreDroppedAndReported() {
        let x86 = UInt32(FFEM_ISA_SCALAR | FFEM_ISA_SSE41)
        var flags: UInt32 = 0
        #expect(ffem_isa_mask_parse("neondot,sse41", x86, &flags) == x86)
        #expect(flags == UInt32(FFEM_ISA_PARSE_UNAVAILABLE))
        #expect(ffem_isa_mask_parse("avx1024", x86, &flags) == UInt32(FFEM_ISA_SCALAR))
        #expect(flags == UInt32(FFEM_ISA_PARSE_UNKNOWN_NAME))
    }

    @Test func hostFeaturesIncludeScalarAndAreConsistent() {
        let features = ffem_cpu_features()
        #expect(features & UInt32(FFEM_ISA_SCALAR) != 0)
        #if arch(x86_64)
        #expect(features & UInt32(FFEM_ISA_NEON | FFEM_ISA_NEONDOT | FFEM_ISA_ARMV7NEON) == 0)
        #endif
    }
}
