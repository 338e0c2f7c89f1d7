import Formats
import Foundation
import Inference

/// `indexer bench-sgemm` (hidden): the sgemm ceiling of this machine's OpenBLAS, the yardstick
/// scripts/bench-encode compares the encoder's GFLOP/s against.
struct BenchSgemmCommand: Command {
    static let name = "bench-sgemm"
    static let summary = ""  // hidden from `indexer help`
    static let synopsis = ["bench-sgemm [--m M] [--n N] [--k K] [--threads T] [--seconds S]"]
    static let about = """
        Times C = A·Bᵀ (row-major float32, M×K times (N×K)ᵀ, like a linear layer) with OpenBLAS
        cblas_sgemm on T OpenBLAS threads for about S seconds; prints GFLOP/s on stdout.
        """
    static let options: [OptionSpec] = [
        .option("--m", "M", "rows of A and C", default: "4096"),
        .option("--n", "N", "rows of B, columns of C", default: "1536"),
        .option("--k", "K", "the inner dimension (MiniLM's FFN shape is the default)", default: "384"),
        .option("--threads", "T", "OpenBLAS threads", default: "all cores"),
        .option("--seconds", "S", "time to run for", default: "3"),
    ]

    let m: Int, n: Int, k: Int, threads: Int, seconds: Double

    init(arguments: [String]) throws {
        let a = try Self.parse(arguments)
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
