import Foundation
import TestSupport
import XCTest

@testable import Formats

final class NPYTests: XCTestCase {
    func testHeaderIsNumpyV1WithDataAligned() {
        let h = NPY.header(shape: [3, 384])
        XCTAssertEqual(Array(h.prefix(8)), [0x93] + Array("NUMPY".utf8) + [1, 0])
        XCTAssertEqual(h.count % 64, 0)
        let dict = String(decoding: h[10...], as: UTF8.self)
        XCTAssertTrue(dict.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 384), }"))
        XCTAssertTrue(dict.hasSuffix(" \n"))
        XCTAssertEqual(Int(h[8]) | Int(h[9]) << 8, h.count - 10)
    }

    func testRoundTripAndStreaming() throws {
        let dir = try temporaryFolder("npy").path
        let values: [Float] = [1, -2.5, .pi, 0, -0.0, 1e-30]
        try NPY.write(values, rows: 2, columns: 3, to: dir + "/a.npy")
        let (shape, back) = try NPY.read(path: dir + "/a.npy")
        XCTAssertEqual(shape, [2, 3])
        XCTAssertEqual(back.map(\.bitPattern), values.map(\.bitPattern))
        // A writer that gets too few rows leaves nothing behind.
        let w = try NPYWriter(path: dir + "/b.npy", columns: 3, rows: 2)
        try w.append([1, 2, 3])
        XCTAssertThrowsError(try w.commit())
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/b.npy"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["a.npy"])
    }

    func testReadRefusesDamage() throws {
        let dir = try temporaryFolder("npy").path
        try NPY.write([1, 2, 3, 4], rows: 2, columns: 2, to: dir + "/a.npy")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.npy"))
        bytes.removeLast(2)
        try bytes.write(to: URL(fileURLWithPath: dir + "/cut.npy"))
        XCTAssertThrowsError(try NPY.read(path: dir + "/cut.npy")) { XCTAssertTrue("\($0)".contains("data bytes")) }
        try Data("not npy".utf8).write(to: URL(fileURLWithPath: dir + "/bad.npy"))
        XCTAssertThrowsError(try NPY.read(path: dir + "/bad.npy")) { XCTAssertTrue("\($0)".contains("bad magic")) }
    }
}
