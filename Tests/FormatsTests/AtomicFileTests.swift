import Formats
import TestSupport
import XCTest

final class AtomicFileTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }

    override func setUpWithError() throws {
        folder = try TemporaryFolder("atomic")
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    func testNothingUnderFinalNameUntilCommit() throws {
        let path = dir + "/out.run"
        let w = try AtomicFileWriter(path: path)
        try w.write("half a line")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        try w.write(" and the rest\n")
        try w.commit()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "half a line and the rest\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["out.run"])
    }

    func testAbandonKeepsTheOldFileAndLeavesNoTemporary() throws {
        let path = dir + "/keep.txt"
        try AtomicFile.write("old\n", to: path)
        do {
            let w = try AtomicFileWriter(path: path)
            try w.write(String(repeating: "x", count: 3 << 20))  // past the buffer: bytes hit the temp file
            w.abandon()
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["keep.txt"])
    }

    func testDroppedWriterRemovesItsTemporary() throws {
        let path = dir + "/dropped.txt"
        do {
            let w = try AtomicFileWriter(path: path)
            try w.write("never committed")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }

    func testLargeWriteRoundTrips() throws {
        let path = dir + "/big.bin"
        let bytes = (0..<(5 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761) }
        let w = try AtomicFileWriter(path: path)
        try w.write(bytes[..<12345])
        try w.write(bytes[12345...])
        XCTAssertEqual(w.bytesWritten, bytes.count)
        try w.commit()
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: path))), bytes)
    }

    func testUnwritableFolderIsAnIOErrorNamingThePath() {
        XCTAssertThrowsError(try AtomicFileWriter(path: "/proc/nope/out.txt")) { error in
            XCTAssertNotNil(error as? IndexerError)
        }
    }
}
