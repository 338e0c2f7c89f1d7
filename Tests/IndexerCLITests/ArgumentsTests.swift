import Formats
import XCTest

@testable import indexer

final class ArgumentsTests: XCTestCase {
    func testOptionsFlagsAndPositionals() throws {
        let a = try Arguments(
            ["--top-n", "100", "run1", "--json", "--tag=dense", "run2", "--", "--weird"],
            options: ["--top-n", "--tag"], flags: ["--json"])
        XCTAssertEqual(try a.int("--top-n"), 100)
        XCTAssertEqual(a.string("--tag"), "dense")
        XCTAssertTrue(a.flag("--json"))
        XCTAssertEqual(a.positionals, ["run1", "run2", "--weird"])
    }

    func testUnknownOptionIsAUsageError() {
        XCTAssertThrowsError(try Arguments(["--topn", "5"], options: ["--top-n"])) { error in
            XCTAssertEqual((error as? IndexerError)?.kind, .usage)
            XCTAssertTrue("\(error)".contains("--topn"))
        }
    }

    func testMissingValueAndBadNumber() throws {
        XCTAssertThrowsError(try Arguments(["--top-n"], options: ["--top-n"]))
        let a = try Arguments(["--top-n", "ten"], options: ["--top-n"])
        XCTAssertThrowsError(try a.int("--top-n"))
        let b = try Arguments(["--top-n", "0"], options: ["--top-n"])
        XCTAssertThrowsError(try b.int("--top-n", in: 1...1_000_000))
    }

    func testChoiceAndList() throws {
        let a = try Arguments(["--codec", "lz4", "--metrics", "ndcg@10, map,,p@10"], options: ["--codec", "--metrics"])
        XCTAssertEqual(try a.choice("--codec", ["zstd", "lz4"], default: "zstd"), "lz4")
        XCTAssertEqual(a.list("--metrics"), ["ndcg@10", "map", "p@10"])
        let b = try Arguments(["--codec", "gzip"], options: ["--codec"])
        XCTAssertThrowsError(try b.choice("--codec", ["zstd", "lz4"], default: "zstd"))
    }
}
