import CZlib
import Foundation
import TestSupport
import XCTest

@testable import Formats

/// Seeded mutations of valid files through every Formats reader (issue #13): each mutant is
/// read or refused with an IndexerError naming the file; none crashes or hangs, and a gzip
/// file is never read as a different whole (its CRC-32 and length trailer are checked).
final class ReaderFuzzTests: XCTestCase {
    static let mutants = 2000

    /// Runs `read` over mutants of `valid`; returns how many were refused.
    @discardableResult
    func fuzz(_ valid: [UInt8], name: String, seed: UInt64, read: (String) throws -> Void) -> Int {
        var m = Mutations(of: valid, seed: seed)
        var refused = 0
        let path = TestFiles.write([], name: name)
        for _ in 0..<Self.mutants {
            let (bytes, what) = m.next()
            try? Data(bytes).write(to: URL(fileURLWithPath: path))
            do { try read(path) } catch let e as IndexerError {
                refused += 1
                XCTAssertEqual(e.path, path, "\(what): \(e)")
            } catch {
                XCTFail("\(name) \(what): not an IndexerError: \(error)")
            }
        }
        XCTAssertGreaterThan(refused, 0, "\(name): no mutant was refused, so the test proves nothing")
        return refused
    }

    func corpusJSONL() -> [UInt8] {
        var s = ""
        for i in 0..<12 { s += #"{"_id": "d\#(i)", "title": "T \#(i)", "text": "body \#(i) caf\#u{e9} \u00e9 \"q\""}"# + "\n" }
        return Array(s.utf8)
    }

    func testCorpusJSONLAndTSV() {
        fuzz(corpusJSONL(), name: "fuzz.jsonl", seed: 1) { p in
            let r = try CorpusReader(path: p)
            while try r.next() != nil {}
        }
        let tsv = Array((0..<12).map { "d\($0)\ttext \($0)\n" }.joined().utf8)
        fuzz(tsv, name: "fuzz.tsv", seed: 2) { p in
            let r = try CorpusReader(path: p)
            while try r.next() != nil {}
        }
    }

    func testGzipCorpusIsReadWholeOrRefused() throws {
        let plain = corpusJSONL()
        let gz = try gzip(plain)
        let ids = (0..<12).map { "d\($0)" }
        fuzz(gz, name: "fuzz.jsonl.gz", seed: 3) { p in
            let r = try CorpusReader(path: p)
            var got: [String] = []
            while let d = try r.next() { got.append(d.id) }
            // A mutant that still starts as gzip must give the whole corpus or be refused.
            if let b = FileManager.default.contents(atPath: p), b.count >= 2, b[0] == 0x1F, b[1] == 0x8B {
                XCTAssertEqual(got, ids, "a damaged gzip file was read as a different corpus")
            }
        }
    }

    func testQueriesRunsAndQrels() {
        let queries = Array((0..<10).map { #"{"_id": "q\#($0)", "text": "what is \#($0)", "metadata": {"a": [1, 2]}}"# + "\n" }.joined().utf8)
        fuzz(queries, name: "fuzz-q.jsonl", seed: 4) { _ = try QueryReader.read(path: $0) }
        let run = Array((0..<30).map { "q\($0 / 10) Q0 d\($0) \($0 % 10 + 1) \(1.0 / Double($0 + 1)) tag\n" }.joined().utf8)
        fuzz(run, name: "fuzz.run", seed: 5) { _ = try TrecRun.read(path: $0) }
        let beir = Array(("query-id\tcorpus-id\tscore\n" + (0..<20).map { "q\($0 / 5)\td\($0)\t\($0 % 3)\n" }.joined()).utf8)
        fuzz(beir, name: "fuzz-qrels.tsv", seed: 6) { _ = try Qrels.read(path: $0) }
        let trec = Array((0..<20).map { "q\($0 / 5) 0 d\($0) \($0 % 3)\n" }.joined().utf8)
        fuzz(trec, name: "fuzz.qrels", seed: 7) { _ = try Qrels.read(path: $0) }
    }

    func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw XCTSkip("zlib deflate unavailable")
        }
        defer { deflateEnd(&stream) }
        var input = bytes
        var out = [UInt8](repeating: 0, count: bytes.count + 1024)
        let n: Int = input.withUnsafeMutableBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { o in
                stream.next_in = inp.baseAddress
                stream.avail_in = UInt32(inp.count)
                stream.next_out = o.baseAddress
                stream.avail_out = UInt32(o.count)
                _ = deflate(&stream, Z_FINISH)
                return o.count - Int(stream.avail_out)
            }
        }
        return Array(out[0..<n])
    }
}
