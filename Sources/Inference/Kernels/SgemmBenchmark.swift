import CBLAS
import Foundation

/// The sgemm ceiling of this machine's OpenBLAS: the yardstick for the encoder's GFLOP/s.
public enum SgemmBenchmark {
    /// Times C = A·Bᵀ (row-major float32, M×K times (N×K)ᵀ, a linear layer's shape) on
    /// `threads` OpenBLAS threads for about `seconds`; returns GFLOP/s, runs and the
    /// OpenBLAS core name. Leaves OpenBLAS on `threads` threads.
    public static func run(m: Int, n: Int, k: Int, threads: Int, seconds: Double) -> (gflops: Double, runs: Int, core: String) {
        openblas_set_num_threads(Int32(threads))
        let a = FloatBuffer(count: m * k), b = FloatBuffer(count: n * k), c = FloatBuffer(count: m * n)
        for i in 0..<(m * k) { a.pointer[i] = Float(i % 13) * 0.01 - 0.06 }
        for i in 0..<(n * k) { b.pointer[i] = Float(i % 7) * 0.02 - 0.07 }
        func once() {
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                1, a.pointer, Int32(k), b.pointer, Int32(k), 0, c.pointer, Int32(n))
        }
        once()
        var runs = 0
        let start = Date()
        repeat { once(); runs += 1 } while Date().timeIntervalSince(start) < seconds
        let elapsed = Date().timeIntervalSince(start)
        let gflops = 2.0 * Double(m) * Double(n) * Double(k) * Double(runs) / elapsed / 1e9
        return (gflops, runs, String(cString: openblas_get_corename()))
    }
}
