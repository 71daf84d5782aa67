// ffem-train — OpenBLAS's idle worker threads must not spin while FFEM's own parallel loops run.
import Foundation

/// OpenBLAS workers busy-wait up to 2^OPENBLAS_THREAD_TIMEOUT cycles after each GEMM (default 2^28,
/// about 65 ms here) before sleeping; on a 2-core machine they then steal the cores from the
/// trainer's parallel loops between GEMMs (measured: ~30 → ~38 images/s for MobileFaceNet when
/// they sleep at once). OpenBLAS reads the variable only when it loads, so when it is unset this
/// process sets it to 4 (the minimum) and re-executes itself once; a user's own setting is kept.
func ensureShortOpenBLASSpin() {
    guard ProcessInfo.processInfo.environment["OPENBLAS_THREAD_TIMEOUT"] == nil else { return }
    setenv("OPENBLAS_THREAD_TIMEOUT", "4", 1)
    let arguments = CommandLine.arguments
    var pointers: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    pointers.append(nil)
    execv("/proc/self/exe", pointers)
    // execv returns only on failure: carry on with OpenBLAS's default spinning.
}
