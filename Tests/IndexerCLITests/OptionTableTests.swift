import Formats
import TestSupport
import XCTest

@testable import indexer

/// The option tables: they build the parser, the help and the fusion settings' one range.
final class OptionTableTests: XCTestCase {
    let specs: [OptionSpec] = [
        .option("--top-n", "N", "results a query"),
        .flag("--json", "JSON"),
        OptionSpec(name: "--rrf-k", value: "K", help: "the constant", deprecatedAliases: ["--k"]),
        .logJSON,
    ]

    func kind(_ body: () throws -> Void) -> IndexerError.Kind? {
        do { try body() } catch { return (error as? IndexerError)?.kind }
        return nil
    }

    func testTheTableIsTheParser() throws {
        let a = try Arguments(["--top-n", "5", "--json", "--k", "7", "run"], specs: specs)
        XCTAssertEqual(try a.int("--top-n"), 5)
        XCTAssertTrue(a.flag("--json"))
        XCTAssertEqual(a.string("--rrf-k"), "7", "an alias is read as its option")
        XCTAssertEqual(a.positionals, ["run"])
        XCTAssertEqual(kind { _ = try Arguments(["--topn", "5"], specs: self.specs) }, .usage)
        // main.swift removes --log-json before a command parses; left in, it is not the command's.
        XCTAssertEqual(kind { _ = try Arguments(["--log-json", "x"], specs: self.specs) }, .usage)
        XCTAssertEqual(kind { _ = try Arguments(["--json=1"], specs: self.specs) }, .usage)
    }

    func testHelpIsGeneratedFromTheTable() {
        let text = FuseCommand.usage
        for o in FuseCommand.options { XCTAssertTrue(text.contains("\n  \(o.display) "), o.name) }
        XCTAssertTrue(text.contains("--k is a") && text.contains("deprecated alias"), text)
        XCTAssertTrue(text.contains("common options") && text.contains("--log-json FILE"), text)
        XCTAssertTrue(text.hasPrefix("usage: indexer fuse --method rrf|minmax [--rrf-k K]"), text)
        for line in SearchCommand.usage.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, HelpText.width + 8, String(line)) }
        XCTAssertEqual(HelpText.wrap("aaa bbb ccc", width: 7), ["aaa bbb", "ccc"])
        XCTAssertEqual(HelpText.wrapSynopsis("x [--a A] [--b B]", first: "u: ", rest: "   ").count, 1)
    }

    func testEveryTableIsWellFormed() {
        let types: [any Command.Type] = [
            BuildCommand.self, InspectCommand.self, VerifyCommand.self, EvalCommand.self, ReportCommand.self,
            TokenizeCommand.self, RerankCommand.self, RunCommand.self, SearchCommand.self, MergeCommand.self,
            FuseCommand.self, EmbedCommand.self, BenchSgemmCommand.self, CompletionsCommand.self, ManCommand.self,
        ]
        for c in types {
            let names = c.options.map(\.name)
            XCTAssertEqual(Set(names).count, names.count, "\(c.name) repeats an option")
            for o in c.options {
                XCTAssertTrue(o.name.hasPrefix("--") && !o.help.isEmpty, "\(c.name) \(o.name)")
                XCTAssertTrue(o.choices.isEmpty || !o.isFlag, "\(c.name) \(o.name): a flag has no choices")
            }
            let long = ["build", "embed", "search", "rerank", "run", "merge", "fuse"].contains(c.name)
            XCTAssertEqual(c.options.contains { $0.common && $0.name == "--log-json" }, long, c.name)
        }
    }

    func testFuseTakesRrfKAndRefusesItForMinMax() throws {
        let fuse = try FuseCommand(arguments: ["--rrf-k", "10", "--top-n", "5", "--out", "o", "a.run"])
        XCTAssertEqual(fuse.method, .rrf(k: 10))
        let old = try FuseCommand(arguments: ["--k", "10", "--top-n", "5", "--out", "o", "a.run"])
        XCTAssertEqual(old.method, .rrf(k: 10))
        XCTAssertEqual(kind { _ = try FuseCommand(arguments: ["--method", "minmax", "--rrf-k", "1", "--top-n", "5", "--out", "o", "a"]) }, .usage)
    }

    func testFusionDepthHasOneDefaultAndOneRange() throws {
        let base = ["--index", "i", "--queries", "q", "--top-n", "5", "--out", "o", "--retriever", "hybrid"]
        // The figures README, docs/SEARCH.md and docs/JOBS.md state (the job file's are JobSpecTests').
        XCTAssertEqual(try SearchCommand(arguments: base).options.fusionDepth, 1000)
        let top = 100_000
        XCTAssertEqual(try SearchCommand(arguments: base + ["--fusion-depth", "\(top)"]).options.fusionDepth, top)
        XCTAssertEqual(kind { _ = try SearchCommand(arguments: base + ["--fusion-depth", "\(top + 1)"]) }, .usage)
        XCTAssertEqual(kind { _ = try SearchCommand(arguments: base + ["--fusion-depth", "0"]) }, .usage)
        XCTAssertTrue(SearchCommand.usage.contains("1...\(top)"), "the help names the range")
    }

    /// Every option name a command's code reads (`a.string("--x")`, `a.int(...)`, ...) is in
    /// its table: a misspelt name fails here, and `Arguments` traps on it the first time it runs.
    func testEveryNameACommandReadsIsDeclared() throws {
        let types: [any Command.Type] = [
            BuildCommand.self, InspectCommand.self, VerifyCommand.self, EvalCommand.self, ReportCommand.self,
            TokenizeCommand.self, RerankCommand.self, RunCommand.self, SearchCommand.self, MergeCommand.self,
            FuseCommand.self, EmbedCommand.self, BenchSgemmCommand.self, CompletionsCommand.self, ManCommand.self,
        ]
        let folder = IndexerProcess.packageRoot + "/Sources/indexer/Commands/"
        let getter = try NSRegularExpression(pattern: #"\ba\.(?:string|strings|int|double|flag|required|choice|path)\("(--[a-z0-9-]+)""#)
        var checked = 0
        for c in types {
            let file = folder + String(describing: c) + ".swift"
            let source = try String(contentsOfFile: file, encoding: .utf8)
            let declared = Set(c.options.map(\.name) + ["--help", "-h"])
            for m in getter.matches(in: source, range: NSRange(source.startIndex..., in: source)) {
                let name = String(source[Range(m.range(at: 1), in: source)!])
                XCTAssertTrue(declared.contains(name), "\(file) reads \(name), which \(c.name)'s table does not declare")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 60, "the pattern finds the getters")
    }
}
