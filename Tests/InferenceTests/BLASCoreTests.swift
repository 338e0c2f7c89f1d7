import XCTest

@testable import Inference

/// When indexer restarts itself with OPENBLAS_CORETYPE (a CPU the library took for a generic core).
final class BLASCoreTests: XCTestCase {
    func testAGenericCoreOnAnAVX2CPUIsReplacedByTheCPUsOwn() throws {
        let own = try XCTUnwrap(BLASCore.cpuCore, "this CPU has no AVX2 and FMA")
        XCTAssertEqual(BLASCore.restartCore(environment: [:], loaded: "Prescott"), own)
        XCTAssertEqual(BLASCore.restartCore(environment: [:], loaded: "Nehalem"), own)
        XCTAssertTrue(["Cooperlake", "SkylakeX", "Haswell"].contains(own))
    }

    func testAKnownCoreTheUsersChoiceAndTheOptOutAreKept() {
        for loaded in ["Haswell", "SkylakeX", "Cooperlake", "SapphireRapids", "Zen"] {
            XCTAssertNil(BLASCore.restartCore(environment: [:], loaded: loaded), loaded)
        }
        XCTAssertNil(BLASCore.restartCore(environment: ["OPENBLAS_CORETYPE": "Prescott"], loaded: "Prescott"))
        XCTAssertNil(BLASCore.restartCore(environment: ["INDEXER_BLAS_CORE": "keep"], loaded: "Prescott"))
    }
}
