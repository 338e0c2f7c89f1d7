import Foundation
import XCTest

@testable import Formats

/// Paths and readers shared by the inference tests.
enum TestPaths {
    /// The package root: three levels up from this file.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    /// The default bi-encoder folder.
    static let miniLM = root + "/models/all-MiniLM-L6-v2"
    /// The committed golden files.
    static var golden: String { Bundle.module.resourcePath! + "/Golden" }

    /// Skips the test when the MiniLM model is absent (scripts/setup fetches it).
    static func requireMiniLM() throws {
        guard FileManager.default.fileExists(atPath: miniLM + "/model.safetensors") else {
            throw XCTSkip("models/all-MiniLM-L6-v2 is missing; run scripts/setup")
        }
    }

    /// The JSON objects of a JSON-lines file.
    static func jsonLines(_ path: String) throws -> [[String: Any]] {
        let reader = try LineReader(path: path)
        var out: [[String: Any]] = []
        while let line = try reader.nextLine() {
            let object = try JSONSerialization.jsonObject(with: Data(line))
            out.append(object as! [String: Any])
        }
        return out
    }

}

/// Cosine of two equal-length vectors, in double.
func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
    var dot = 0.0, na = 0.0, nb = 0.0
    for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
    return dot / (na.squareRoot() * nb.squareRoot())
}
