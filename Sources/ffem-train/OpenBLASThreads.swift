// ffem-train — OpenBLAS settings that must be in the environment before OpenBLAS loads.
import Foundation

/// Sets, when the user has not, the OpenBLAS variables below and re-executes this process once so
/// that OpenBLAS (loaded at start-up, before any Swift code runs) reads them. A user's own
/// settings are always kept.
///
/// - `OPENBLAS_THREAD_TIMEOUT=4`: OpenBLAS workers busy-wait up to 2^OPENBLAS_THREAD_TIMEOUT cycles
///   after each GEMM (default 2^28, about 65 ms here) before sleeping; on a 2-core machine they
///   then steal the cores from the trainer's parallel loops between GEMMs (measured: ~30 → ~38
///   images/s for MobileFaceNet when they sleep at once). 4 is the minimum.
/// - `OPENBLAS_CORETYPE=SKYLAKEX` on AMD CPUs with AVX-512 (F, BW, DQ, VL): Debian's OpenBLAS 0.3.21
///   does not know Zen 4/Zen 5 as AVX-512 cores and runs its AVX2 kernels there; its SkylakeX
///   kernels need exactly those four extensions (measured on Zen 5: sgemm CPU time per
///   MobileFaceNet step 680 → 335 ms). Intel AVX-512 cores are already recognised and left alone.
func ensureOpenBLASEnvironment() {
    let environment = ProcessInfo.processInfo.environment
    var changed = false
    if environment["OPENBLAS_THREAD_TIMEOUT"] == nil {
        setenv("OPENBLAS_THREAD_TIMEOUT", "4", 1)
        changed = true
    }
    if environment["OPENBLAS_CORETYPE"] == nil, cpuIsAMDWithAVX512() {
        setenv("OPENBLAS_CORETYPE", "SKYLAKEX", 1)
        changed = true
    }
    guard changed else { return }
    var pointers: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) }
    pointers.append(nil)
    execv("/proc/self/exe", pointers)
    // execv returns only on failure: carry on with OpenBLAS's defaults.
}

/// True when /proc/cpuinfo names an AMD CPU whose flags include avx512f, avx512bw, avx512dq and
/// avx512vl (what OpenBLAS's SkylakeX kernels execute). False when it cannot be read.
func cpuIsAMDWithAVX512() -> Bool {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
    var vendor = "", flags: Set<Substring> = []
    for line in text.split(separator: "\n") {
        if vendor.isEmpty, line.hasPrefix("vendor_id") { vendor = line.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
        if flags.isEmpty, line.hasPrefix("flags"), let list = line.split(separator: ":").last { flags = Set(list.split(separator: " ")) }
        if !vendor.isEmpty && !flags.isEmpty { break }
    }
    return vendor == "AuthenticAMD" && ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy { flags.contains(Substring($0)) }
}
