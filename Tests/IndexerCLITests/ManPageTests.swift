import Formats
import Foundation
import TestSupport
import XCTest

@testable import indexer

/// `indexer man` and docs/indexer.1, the committed copy, which must stay its output.
final class ManPageTests: XCTestCase {
    func page() throws -> String {
        let r = try IndexerProcess.run(["man"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout
    }

    func testCommittedPageIsTheGeneratedOne() throws {
        let committed = try String(contentsOfFile: IndexerProcess.packageRoot + "/docs/indexer.1", encoding: .utf8)
        XCTAssertTrue(committed == (try page()), "docs/indexer.1 is stale: regenerate it with .build/debug/indexer man > docs/indexer.1")
    }

    func testPageHasItsSectionsAndEveryCommandsOptions() throws {
        let text = try page()
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS", "ENVIRONMENT"] {
            XCTAssertTrue(text.contains("\n.SH \(section)\n"), section)
        }
        XCTAssertTrue(text.hasPrefix(".TH INDEXER 1 "))
        for (command, options) in try CompletionsTests.optionsByCommand() {
            XCTAssertTrue(text.contains("\n.SS \(command)\n"), command)
            for o in options { XCTAssertTrue(text.contains("\\fB\(o.replacingOccurrences(of: "-", with: "\\-"))\\fR"), "\(command) \(o)") }
        }
        for name in ["HF_HUB_CACHE", "HF_HOME", "HF_HUB_OFFLINE", "HF_TOKEN", "INDEXER_QUIET"] {
            XCTAssertTrue(text.contains(".B \(name.replacingOccurrences(of: "-", with: "\\-"))\n"), name)
        }
        // No line roff would take for a request by accident.
        for line in text.split(separator: "\n") where line.hasPrefix(".") || line.hasPrefix("'") {
            XCTAssertTrue(
                ["TH", "SH", "SS", "TP", "PP", "B", "I", "RI", "br"].contains(line.dropFirst().split(separator: " ").first.map(String.init) ?? ""), String(line)
            )
        }
    }

    func testExitStatusIsTheErrorKindsCodes() {
        let kinds: [IndexerError.Kind] = [.usage, .badInput, .io, .corrupt, .model, .mismatch, .internal, .gateFailed]
        XCTAssertEqual(Set(ManPage.exitStatus.map(\.code)), Set(["0"] + kinds.map { "\($0.exitCode)" }))
    }
}
