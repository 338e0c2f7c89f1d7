import Foundation
import XCTest

@testable import Inference

final class FingerprintTests: XCTestCase {
    func testFingerprintIdentifiesWeightsAndSettings() throws {
        let tiny = TestPaths.golden + "/cross-f32"
        let a = try BiEncoder(modelDirectory: tiny, threads: 1)
        XCTAssertEqual(a.pooling, .mean, "no 1_Pooling folder: mean")
        XCTAssertEqual(a.maxLength, 512, "no sentence_bert_config.json: the model's positions")
        XCTAssertEqual(a.fingerprint.count, 64)
        XCTAssertEqual(try BiEncoder(modelDirectory: tiny, threads: 2).fingerprint, a.fingerprint, "threads do not change vectors")
        XCTAssertNotEqual(try BiEncoder(modelDirectory: tiny, maxLength: 128).fingerprint, a.fingerprint)
        XCTAssertNotEqual(try BiEncoder(modelDirectory: TestPaths.golden + "/cross-f16").fingerprint, a.fingerprint)
        let c = try CrossEncoder(modelDirectory: tiny)
        XCTAssertNotEqual(c.fingerprint, a.fingerprint)
        XCTAssertEqual(c.fingerprint, try CrossEncoder(modelDirectory: tiny, threads: 1).fingerprint)
        XCTAssertThrowsError(try BiEncoder(modelDirectory: tiny, maxLength: 513))
        XCTAssertThrowsError(try a.embed(["x"], batchSize: 0))
        XCTAssertEqual(try a.embed([]), [])
    }
}
