import Foundation
import XCTest

@testable import Formats

/// `Progress` with a fake clock: throttled by time, a first line only once a rate exists, the
/// 10 s cadence off a terminal, and the rate and ETA text (no sleeps, nothing timed).
final class ProgressTests: XCTestCase {
    /// A clock the test moves by hand, and the text written.
    final class Bench: @unchecked Sendable {
        private let lock = NSLock()
        private var now = 1000.0
        private var written: [String] = []

        var clock: Formats.Progress.Clock { { [self] in locked { now } } }
        var output: @Sendable (String) -> Void { { [self] text in locked { written.append(text) } } }
        var lines: [String] { locked { written } }
        func wait(_ seconds: Double) { locked { now += seconds } }

        private func locked<T>(_ body: () -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body()
        }
    }

    func progress(_ bench: Bench, total: Int? = 1000, live: Bool) -> Formats.Progress {
        Formats.Progress("build", total: total, unit: "docs", quiet: false, live: live, clock: bench.clock, output: bench.output)
    }

    func testLogCadenceIsTenSecondsAndTheFirstLineHasARate() {
        let b = Bench()
        let p = progress(b, live: false)
        // 5 documents a second for 25 s, one at a time: lines at 10 s and 20 s only.
        for _ in 0..<125 {
            b.wait(0.2)
            p.advance(by: 1)
        }
        XCTAssertEqual(
            b.lines,
            [
                "build: 50/1000 docs (5%), 5.0 docs/s, ETA 3:10\n",
                "build: 100/1000 docs (10%), 5.0 docs/s, ETA 3:00\n",
            ])
    }

    func testNothingIsPrintedBeforeThereIsARate() {
        let b = Bench()
        let p = progress(b, live: false)
        // Work that has not finished a document yet: ticks print nothing, even after 30 s.
        for _ in 0..<30 {
            b.wait(1)
            p.tick()
        }
        XCTAssertEqual(b.lines, [])
        XCTAssertNil(p.line(at: 1000))
        // The first document: a line at once (the interval has long passed), with its rate.
        p.advance(by: 3)
        XCTAssertEqual(b.lines, ["build: 3/1000 docs (0%), 0.1 docs/s, ETA 2:46:10\n"])
    }

    func testLiveLineUpdatesEverySecondWhileABatchIsComputed() throws {
        let b = Bench()
        let p = progress(b, total: 256, live: true)
        b.wait(0.1)
        p.advance(by: 64)  // too soon: no line before half a second
        XCTAssertEqual(b.lines, [])
        // A 3 s batch with no advance: the timer's ticks redraw with the elapsed time.
        for _ in 0..<6 {
            b.wait(0.5)
            p.tick()
        }
        XCTAssertEqual(b.lines.count, 6)
        let last = try XCTUnwrap(b.lines.last)
        XCTAssertTrue(last.hasSuffix("\u{1B}[K\r"), last)
        XCTAssertTrue(last.hasPrefix("build [######------------------]  25% 64/256 docs, 20.6/s, ETA 0:09"), last)
    }

    func testRateCountsItemsNotBatches() {
        let b = Bench()
        let p = progress(b, total: nil, live: false)
        // Per-item counting: 64-document batches every 2 s are 32 documents a second.
        for _ in 0..<6 {
            b.wait(2)
            p.advance(by: 64)
        }
        XCTAssertEqual(b.lines, ["build: 320 docs, 32.0 docs/s\n"])
        p.finish()
        XCTAssertEqual(b.lines.last, "build: 384 docs in 12.0 s (32.0 docs/s)\n")
        p.advance(by: 1)
        p.tick()
        XCTAssertEqual(b.lines.count, 2, "nothing after the closing line")
    }

    func testQuietPrintsNothing() {
        let b = Bench()
        let p = Formats.Progress("x", total: 10, unit: "docs", quiet: true, live: false, clock: b.clock, output: b.output)
        b.wait(60)
        p.advance(by: 5)
        p.finish()
        XCTAssertEqual(b.lines, [])
    }

    func testClockText() {
        XCTAssertEqual(Formats.Progress.clock(59.4), "0:59")
        XCTAssertEqual(Formats.Progress.clock(3599.6), "1:00:00")
        XCTAssertEqual(Formats.Progress.clock(7384), "2:03:04")
    }
}

/// Progress events in the `--log-json` file: every 10 s whether or not standard error shows them.
final class ProgressEventLogTests: XCTestCase {
    func testProgressEventsEveryTenSecondsEvenWhenQuiet() throws {
        let path = NSTemporaryDirectory() + "progress-log-\(UUID().uuidString).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try EventLog.open(path: path, runID: "r1")
        defer { EventLog.close() }
        let b = ProgressTests.Bench()
        let p = Formats.Progress("rerank", total: 300, unit: "pairs", quiet: true, live: true, clock: b.clock, output: b.output)
        for _ in 0..<25 {
            b.wait(1)
            p.advance(by: 4)
        }
        p.finish()
        EventLog.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let events = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(events.map { $0["done"] as? Int }, [40, 80, 100])
        XCTAssertEqual(events.map { $0["rate"] as? Double }, [4, 4, 4])
        XCTAssertEqual(events.first?["eta_seconds"] as? Double, 65)
        XCTAssertEqual(events.last?["finished"] as? Bool, true)
        XCTAssertEqual(Set(events.map { $0["event"] as? String }), ["progress"])
        XCTAssertEqual(Set(events.map { $0["run"] as? String }), ["r1"])
        XCTAssertEqual(b.lines, [], "quiet: nothing on standard error")
    }
}
