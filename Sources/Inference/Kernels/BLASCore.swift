import CBLAS
import CInferenceKernels
import Foundation

/// Which OpenBLAS kernels run the fp32 products, and the fix for a CPU the library does not know.
///
/// OpenBLAS (Debian 12 ships 0.3.21) picks its kernels once, when it is loaded, from the CPU
/// model number. A CPU newer than the library gets a generic core: an Emerald Rapids Xeon is
/// taken for "Prescott", a 2004 SSE3 core, and sgemm runs at 60 GFLOP/s on 2 threads instead of
/// the 266-296 its AVX-512 kernels reach (`indexer bench-sgemm`). The library reads
/// `OPENBLAS_CORETYPE` only at load time, so the fix is a restart of the process with it set
/// (``restartCore(environment:)``, called first thing by `main`).
public enum BLASCore {
    /// The kernels OpenBLAS loaded ("SkylakeX", "Haswell", "Prescott", ...).
    public static var loaded: String { String(cString: openblas_get_corename()) }

    /// The widest OpenBLAS core this CPU can run ("Cooperlake", "SkylakeX", "Haswell"), or nil.
    public static var cpuCore: String? { ik_blas_core_for_cpu().map { String(cString: $0) } }

    /// Cores with at least AVX2 and FMA kernels: OpenBLAS knew the CPU (or was told).
    static let modern: Set<String> = ["haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"]

    /// The `OPENBLAS_CORETYPE` to restart with, or nil: when the user set one (theirs wins),
    /// `INDEXER_BLAS_CORE=keep` is set, the loaded core already has AVX2 kernels, or the CPU has
    /// none better than the loaded ones.
    public static func restartCore(environment: [String: String], loaded: String = BLASCore.loaded) -> String? {
        if environment["OPENBLAS_CORETYPE"] != nil || environment["INDEXER_BLAS_CORE"] == "keep" { return nil }
        guard !modern.contains(loaded.lowercased()) else { return nil }
        return cpuCore
    }
}
