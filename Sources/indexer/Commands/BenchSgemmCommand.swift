import Formats
import Foundation
import Inference

/// `indexer bench-sgemm` (hidden): the sgemm ceiling of this machine's OpenBLAS, the yardstick
/// scripts/bench-encode compares the encoder's GFLOP/s against.
struct BenchSgemmCommand: Command {
    static let name = "bench-sgemm"
    static let summary = ""  // hidden from `indexer help`
    static let usage = """
        usage: indexer bench-sgemm [--m M] [--n N] [--k K] [--threads T] [--seconds S]

        Times C = A·Bᵀ (row-major float32, M×K times (N×K)ᵀ, like a linear layer) with OpenBLAS
        cblas_sgemm on T OpenBLAS threads for about S seconds; prints GFLOP/s on stdout.
        Defaults: M 4096, N 1536, K 384 (MiniLM's FFN shape), T all cores, S 3.
        """

    let m: Int, n: Int, k: Int, threads: Int, seconds: Double

    init(arguments: [String]) throws {
        let a = try Arguments(arguments, options: ["--m", "--n", "--k", "--threads", "--seconds"])
        m = try a.int("--m", default: 4096, in: 1...65536)!
        n = try a.int("--n", default: 1536, in: 1...65536)!
        k = try a.int("--k", default: 384, in: 1...65536)!
        threads = try a.int("--threads", default: ProcessInfo.processInfo.activeProcessorCount, in: 1...1024)!
        seconds = try a.double("--seconds", default: 3)!
    }

    func run() throws {
        let r = SgemmBenchmark.run(m: m, n: n, k: k, threads: threads, seconds: seconds)
        print(String(format: "%.1f", r.gflops))
        Console.info(
            String(
                format: "bench-sgemm: %d×%d×%d, %d threads, %d runs: %.1f GFLOP/s (OpenBLAS %@ kernels)",
                m, n, k, threads, r.runs, r.gflops, r.core))
    }
}
