import Foundation
import TestSupport
import XCTest

/// The built binary runs its fp32 products on the CPU's own OpenBLAS kernels even where the
/// library mistakes the CPU for a generic one (it restarts itself with OPENBLAS_CORETYPE).
final class BLASCoreCommandTests: XCTestCase {
    /// The core name `indexer bench-sgemm` reports with `env`.
    func core(_ env: [String: String]) throws -> String {
        let r = try IndexerProcess.run(["bench-sgemm", "--m", "64", "--n", "64", "--k", "64", "--threads", "1", "--seconds", "0.01"], env: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = try XCTUnwrap(r.stderr.split(separator: "\n").first { $0.hasPrefix("bench-sgemm:") }, r.stderr)
        let name = try XCTUnwrap(line.range(of: "(OpenBLAS ").map { line[$0.upperBound...] }, String(line))
        return String(name.prefix { $0 != " " })
    }

    func testTheLoadedCoreHasAVX2KernelsWhenTheCPUHasAVX2() throws {
        let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        try XCTSkipUnless(flags.contains(" avx2 ") && flags.contains(" fma "), "this CPU has no AVX2 and FMA")
        let name = try core([:])
        XCTAssertFalse(["prescott", "core2", "penryn", "dunnington", "nehalem", "sandybridge", "katmai"].contains(name.lowercased()), name)
        // The user's own choice is kept as given.
        XCTAssertEqual(try core(["OPENBLAS_CORETYPE": "Haswell"]).lowercased(), "haswell")
    }
}
