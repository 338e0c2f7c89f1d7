import Foundation
import TestSupport
import XCTest

@testable import Formats
@testable import Inference

/// The safetensors reader on hand-built files: good ones read back, damaged ones fail with
/// a specific error naming the file and the tensor.
final class SafeTensorsTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws { dir = try temporaryFolder("inference-tests").path }

    /// Writes `header` (JSON text) behind its length (or `claimedLength`), then `data`.
    func file(_ name: String, header: String, data: [UInt8], claimedLength: UInt64? = nil) -> String {
        var bytes: [UInt8] = []
        let h = Array(header.utf8)
        let n = claimedLength ?? UInt64(h.count)
        for i in 0..<8 { bytes.append(UInt8((n >> (8 * UInt64(i))) & 0xFF)) }
        bytes += h + data
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8((v.bitPattern >> (8 * UInt32($0))) & 0xFF) } }
    }

    func expectError(_ path: String, kind: IndexerError.Kind, containing words: [String], line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensorsFile(path: path), line: line) { error in
            guard let e = error as? IndexerError else { return XCTFail("not an IndexerError: \(error)", line: line) }
            XCTAssertEqual(e.kind, kind, "\(e)", line: line)
            XCTAssertEqual(e.path, path, line: line)
            for w in words { XCTAssertTrue(e.description.contains(w), "'\(e)' lacks '\(w)'", line: line) }
        }
    }

    func testReadsF32F16AndBF16() throws {
        let f32 = floatBytes([1.5, -2, 0.25, 3])
        // F16: 1.0 = 0x3C00, -0.5 = 0xB800, 65504 = 0x7BFF, smallest subnormal 2^-24 = 0x0001.
        let f16: [UInt8] = [0x00, 0x3C, 0x00, 0xB8, 0xFF, 0x7B, 0x01, 0x00]
        // BF16: the top halves of 1.0 (0x3F80) and -3.0 (0xC040).
        let bf16: [UInt8] = [0x80, 0x3F, 0x40, 0xC0]
        let header = """
            {"__metadata__": {"format": "pt"}, "a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
             "b": {"dtype": "F16", "shape": [4], "data_offsets": [16, 24]},
             "c": {"dtype": "BF16", "shape": [2], "data_offsets": [24, 28]}}
            """
        let st = try SafeTensorsFile(path: file("ok.safetensors", header: header, data: f32 + f16 + bf16))
        XCTAssertEqual(st.names, ["a", "b", "c"])
        XCTAssertEqual(st.metadata["format"], "pt")
        XCTAssertEqual(try st.floats("a", shape: [2, 2]), [1.5, -2, 0.25, 3])
        XCTAssertEqual(try st.floats("b"), [1, -0.5, 65504, Float(Float16(bitPattern: 1))])
        XCTAssertEqual(try st.floats("c"), [1, -3])
        XCTAssertThrowsError(try st.floats("a", shape: [4])) { XCTAssertTrue("\($0)".contains("'a' has shape [2, 2], expected [4]")) }
        XCTAssertThrowsError(try st.floats("zzz")) { XCTAssertTrue("\($0)".contains("'zzz' is missing")) }
    }

    func testHalfWideningIsExactForEveryBitPattern() {
        for bits in 0...UInt16.max {
            let want = Float(Float16(bitPattern: bits)), got = halfToFloat(bits)
            XCTAssertTrue(want.bitPattern == got.bitPattern || (want.isNaN && got.isNaN), "F16 bits \(bits)")
        }
    }

    func testTruncatedFile() {
        let header = #"{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}"#
        expectError(
            file("t.safetensors", header: header, data: floatBytes([1, 2])), kind: .corrupt,
            containing: ["'a'", "run past the data section", "truncated"])
        expectError(file("empty-header.safetensors", header: "", data: []), kind: .corrupt, containing: ["not valid JSON"])
        let path = dir + "/short.safetensors"
        _ = FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3]))
        expectError(path, kind: .corrupt, containing: ["truncated", "3 bytes"])
    }

    func testBadHeaderLength() {
        let header = #"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}"#
        expectError(
            file("len.safetensors", header: header, data: floatBytes([1]), claimedLength: 1 << 40), kind: .corrupt,
            containing: ["header length", "exceeds the file"])
    }

    func testBadJSON() {
        expectError(file("json.safetensors", header: #"{"a": {"dtype": "F32", "#, data: []), kind: .corrupt, containing: ["not valid JSON"])
        expectError(file("array.safetensors", header: "[1, 2]", data: []), kind: .corrupt, containing: ["not a JSON object"])
    }

    func testUnknownDType() {
        let header = #"{"w": {"dtype": "F8_E9", "shape": [1], "data_offsets": [0, 1]}}"#
        expectError(file("dtype.safetensors", header: header, data: [0]), kind: .corrupt, containing: ["'w'", "unknown dtype 'F8_E9'"])
    }

    func testIntegerTensorIsRefusedAsFloats() throws {
        let header = #"{"ids": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}}"#
        let st = try SafeTensorsFile(path: file("i64.safetensors", header: header, data: [UInt8](repeating: 0, count: 8)))
        XCTAssertThrowsError(try st.floats("ids")) { error in
            XCTAssertEqual((error as? IndexerError)?.kind, .model)
            XCTAssertTrue("\(error)".contains("dtype I64"))
        }
    }

    func testOffsetsOutOfRangeOrReversed() {
        let past = #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}"#
        expectError(file("past.safetensors", header: past, data: floatBytes([1, 2])), kind: .corrupt, containing: ["'a'", "data_offsets [8, 16]"])
        let reversed = #"{"a": {"dtype": "F32", "shape": [0], "data_offsets": [8, 4]}}"#
        expectError(file("rev.safetensors", header: reversed, data: floatBytes([1, 2])), kind: .corrupt, containing: ["'a'", "begin <= end"])
        let negative = #"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}}"#
        expectError(file("neg.safetensors", header: negative, data: floatBytes([1])), kind: .corrupt, containing: ["'a'"])
    }

    func testShapeMismatch() {
        let header = #"{"a": {"dtype": "F32", "shape": [3, 2], "data_offsets": [0, 16]}}"#
        expectError(
            file("shape.safetensors", header: header, data: floatBytes([1, 2, 3, 4])), kind: .corrupt,
            containing: ["'a'", "shape [3, 2] of F32 needs 24 bytes", "hold 16"])
        let fractional = #"{"a": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}"#
        expectError(file("frac.safetensors", header: fractional, data: floatBytes([1])), kind: .corrupt, containing: ["'a'", "shape"])
    }

    func testOverlappingTensors() {
        let header = """
            {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}
            """
        expectError(file("overlap.safetensors", header: header, data: floatBytes([1, 2, 3])), kind: .corrupt, containing: ["'a'", "'b'", "overlap"])
    }

    func testModelFolderErrors() throws {
        XCTAssertThrowsError(try BiEncoder(modelDirectory: dir + "/nowhere")) { error in
            XCTAssertEqual((error as? IndexerError)?.kind, .model)
            XCTAssertTrue("\(error)".contains("does not exist"))
        }
        let empty = dir + "/empty-model"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try BiEncoder(modelDirectory: empty)) { XCTAssertTrue("\($0)".contains("no config.json")) }
        // A real config, but weights cut short.
        try TestPaths.requireMiniLM()
        try FileManager.default.copyItem(atPath: TestPaths.miniLM + "/config.json", toPath: empty + "/config.json")
        XCTAssertThrowsError(try BiEncoder(modelDirectory: empty)) { XCTAssertTrue("\($0)".contains("no model.safetensors")) }
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: TestPaths.miniLM + "/model.safetensors"))
        let head = handle.readData(ofLength: 1 << 20)
        try handle.close()
        _ = FileManager.default.createFile(atPath: empty + "/model.safetensors", contents: head)
        XCTAssertThrowsError(try BiEncoder(modelDirectory: empty)) { error in
            XCTAssertEqual((error as? IndexerError)?.kind, .corrupt)
            XCTAssertTrue("\(error)".contains("run past the data section"), "\(error)")
            XCTAssertTrue("\(error)".contains(empty + "/model.safetensors"))
        }
        // A config with an activation no family supports.
        var config = try String(contentsOfFile: TestPaths.miniLM + "/config.json", encoding: .utf8)
        config = config.replacingOccurrences(of: "\"gelu\"", with: "\"mish\"")
        try config.write(toFile: empty + "/config.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try BiEncoder(modelDirectory: empty)) { XCTAssertTrue("\($0)".contains("hidden_act 'mish'")) }
    }
}
