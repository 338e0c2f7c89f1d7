import Evaluation
import Formats
import Foundation
import TestSupport
import XCTest

/// report.html opened in a real browser (headless Chromium): every section is in the DOM.
final class ReportHTMLBrowserTests: XCTestCase {
    var folder: TemporaryFolder!
    var dir: String { folder.path }
    /// A folder with qrels judging one document `rel` for each of 20 queries.
    override func setUpWithError() throws {
        folder = try TemporaryFolder("indexer-html")
        try (0..<20).map { "q\($0) 0 rel 1\n" }.joined().write(toFile: dir + "/qrels", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        folder.remove()
    }

    /// A run of 50 documents a query with `rel` at rank `at(query)`.
    func run(_ name: String, _ at: (Int) -> Int) throws -> String {
        var s = ""
        for q in 0..<20 {
            var l = (0..<50).map { "n\($0)" }
            l[at(q) - 1] = "rel"
            for (r, d) in l.enumerated() { s += "q\(q) Q0 \(d) \(r + 1) \(100 - r) t\n" }
        }
        try s.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        return dir + "/" + name
    }

    func chromium() -> String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func testHTMLRendersInHeadlessChromiumWithEverySection() throws {
        guard let browser = chromium() else { throw XCTSkip("chromium is not installed (scripts/test installs it with apt-get)") }
        let first = try run("first") { _ in 15 }
        var req = ReportOptions(
            qrelsPath: dir + "/qrels", firstStagePath: first,
            rerankedPaths: [try run("r10") { _ in 15 }, try run("r20") { _ in 1 }], outDir: dir + "/out")
        req.sweep = [10, 20]
        req.permutations = 500
        _ = try DecisionReport.run(req)
        let dom = try dumpDOM(browser, dir + "/out/report.html")
        for id in ["verdict", "section-1", "section-2", "section-3", "section-4", "section-5", "sweep-plot"] {
            XCTAssertTrue(dom.contains("id=\"\(id)\""), "no #\(id) in the DOM")
        }
        XCTAssertTrue(dom.contains("<svg"), "the sweep plot is not inline")
        XCTAssertLessThan(dom.range(of: "id=\"verdict\"")!.lowerBound, dom.range(of: "id=\"section-1\"")!.lowerBound, "the verdict comes first")
        XCTAssertFalse(dom.contains("<script"), "no scripts")
    }

    /// Two named rerankers and a baseline: the frontier plot, the rerankers table, the baselines
    /// table and the drill-down are all in the DOM.
    func testHTMLWithRerankersBaselinesAndDrillDownRendersInHeadlessChromium() throws {
        guard let browser = chromium() else { throw XCTSkip("chromium is not installed (scripts/test installs it with apt-get)") }
        func timings(_ name: String, _ ms: Double) throws -> String {
            try RerankTimings.write((0..<20).map { RerankTiming(qid: "q\($0)", pairs: 50, tokens: 500, milliseconds: ms) }, to: dir + "/" + name)
            return dir + "/" + name
        }
        var req = ReportOptions(
            qrelsPath: dir + "/qrels", firstStagePath: try run("first") { _ in 15 },
            rerankedPaths: [try run("a") { _ in 1 }, try run("b") { $0 < 3 ? 2 : 1 }],
            timingsPaths: [try timings("ta", 100), try timings("tb", 20)], outDir: dir + "/out")
        req.names = ["big", "small"]
        req.baselines = [NamedRun(name: "hybrid", path: try run("h") { $0 % 2 == 0 ? 1 : 12 })]
        req.permutations = 500
        _ = try DecisionReport.run(req)
        let dom = try dumpDOM(browser, dir + "/out/report.html")
        for id in [
            "verdict", "section-1", "section-2", "section-3", "section-4", "section-5", "section-6", "section-7",
            "rerankers", "frontier-plot", "frontier-line", "baselines", "drill-down",
        ] {
            XCTAssertTrue(dom.contains("id=\"\(id)\""), "no #\(id) in the DOM")
        }
        XCTAssertFalse(dom.contains("<script"), "no scripts")
    }

    func dumpDOM(_ browser: String, _ file: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + file]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return dom
    }
}
