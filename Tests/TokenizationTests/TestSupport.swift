import Formats
import Foundation
import Tokenization
import XCTest

/// Paths and shared fixtures for the Tokenization tests.
enum TestSupport {
    /// The package root: three levels up from this file.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let modelDirectory = packageRoot + "/models/all-MiniLM-L6-v2"

    /// The default model's tokenizer, loaded once; skips when the model is absent.
    static func tokenizer() throws -> BertTokenizer {
        guard FileManager.default.fileExists(atPath: modelDirectory + "/tokenizer.json") else {
            throw XCTSkip("model folder \(modelDirectory) is absent (run scripts/setup)")
        }
        if let cached = cache.tokenizer { return cached }
        let t = try BertTokenizer(modelDirectory: modelDirectory)
        cache.tokenizer = t
        return t
    }

    private final class Cache: @unchecked Sendable { var tokenizer: BertTokenizer? }
    private static let cache = Cache()

    /// A file of the `Golden` resource folder.
    static func goldenPath(_ name: String) throws -> String {
        guard let folder = Bundle.module.url(forResource: "Golden", withExtension: nil) else {
            throw XCTSkip("Golden resources missing from the test bundle")
        }
        let path = folder.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else {
            XCTFail("golden file \(name) missing; run scripts/reference/make_tokenizer_golden.py")
            throw XCTSkip("no \(name)")
        }
        return path
    }

    /// The JSON objects of a (gzipped) JSONL golden file.
    static func jsonLines(_ path: String) throws -> [[String: Any]] {
        let reader = try LineReader(path: path)
        var records: [[String: Any]] = []
        while let line = try reader.nextLine() {
            if line.isEmpty { continue }
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw IndexerError.badInput("not a JSON object", path: path, line: reader.lineNumber)
            }
            records.append(object)
        }
        return records
    }

    /// JSON numbers as token ids.
    static func ids(_ any: Any?) -> [Int32]? {
        guard let array = any as? [Any] else { return nil }
        var out: [Int32] = []
        out.reserveCapacity(array.count)
        for element in array {
            guard let n = element as? NSNumber else { return nil }
            out.append(Int32(truncating: n))
        }
        return out
    }

}
