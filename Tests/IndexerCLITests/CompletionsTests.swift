import Foundation
import TestSupport
import XCTest

/// `indexer completions bash|zsh|fish`: scripts that parse and carry every command's options.
final class CompletionsTests: XCTestCase {
    /// Each listed command with the options its `--help` lists (from the same table).
    static func optionsByCommand() throws -> [(command: String, options: [String])] {
        try ConventionsTests.commandNames().filter { $0 != "bench-sgemm" }.map { name in
            let help = try IndexerProcess.run([name, "--help"]).stdout
            let options = help.split(separator: "\n").filter { $0.hasPrefix("  --") }.map { String($0.dropFirst(2).split(separator: " ")[0]) }
            return (name, options)
        }
    }

    func script(_ shell: String) throws -> String {
        let r = try IndexerProcess.run(["completions", shell])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        return r.stdout
    }

    /// `/bin/bash -n` (or zsh, fish) on `text`; nil when the shell is not installed.
    func syntaxCheck(_ shell: String, _ text: String) throws -> IndexerProcess.Result? {
        guard let path = ["/bin/", "/usr/bin/", "/usr/local/bin/"].map({ $0 + shell }).first(where: FileManager.default.isExecutableFile)
        else { return nil }
        let file = NSTemporaryDirectory() + "completion-\(UUID().uuidString).\(shell)"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try ConventionsTests.bash(#""$SHELL_PATH" -n "$F""#, env: ["SHELL_PATH": path, "F": file])
    }

    func testBashScriptParsesAndCompletesFromTheTables() throws {
        let text = try script("bash")
        let check = try XCTUnwrap(try syntaxCheck("bash", text), "no /bin/bash")
        XCTAssertEqual(check.status, 0, check.stderr)
        for (command, options) in try Self.optionsByCommand() {
            // The command's branch of the case, and the words its option list offers.
            let branch = try XCTUnwrap(text.components(separatedBy: "\n    \(command))\n").dropFirst().first, command)
            let offered = branch.components(separatedBy: "\n        ;;")[0].split(separator: "\n").last {
                $0.contains("compgen -W") && $0.contains("$cur == -*")
            }
            let words = Set((offered ?? "").split(whereSeparator: { " \"()".contains($0) }).map(String.init))
            for o in options { XCTAssertTrue(words.contains(o), "\(command) \(o)") }
        }
        // Completing in a real bash: a choice list after its option, an option after its prefix.
        let file = NSTemporaryDirectory() + "completion-\(UUID().uuidString).bash"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try ConventionsTests.bash(
            #"""
            source "$F"
            COMP_WORDS=(indexer search --retriever ""); COMP_CWORD=3; _indexer; echo "${COMPREPLY[*]}"
            COMP_WORDS=(indexer fuse --rr); COMP_CWORD=2; _indexer; echo "${COMPREPLY[*]}"
            COMP_WORDS=(indexer comp); COMP_CWORD=1; _indexer; echo "${COMPREPLY[*]}"
            COMP_WORDS=(indexer completions ""); COMP_CWORD=2; _indexer; echo "${COMPREPLY[*]}"
            """#, env: ["F": file])
        XCTAssertEqual(r.stdout, "dense bm25 hybrid\n--rrf-k\ncompletions\nbash zsh fish\n", r.stderr)
    }

    func testZshAndFishScriptsCarryEveryOption() throws {
        let zsh = try script("zsh"), fish = try script("fish")
        XCTAssertTrue(zsh.hasPrefix("#compdef indexer\n"))
        for (command, options) in try Self.optionsByCommand() {
            XCTAssertTrue(zsh.contains("'\(command):"), command)
            XCTAssertTrue(fish.contains("-a \(command) -d "), command)
            for o in options {
                XCTAssertTrue(zsh.contains("'\(o)[") || zsh.contains("'*\(o)["), "zsh \(command) \(o)")
                XCTAssertTrue(fish.contains("from \(command)' -l \(o.dropFirst(2)) "), "fish \(command) \(o)")
            }
        }
        XCTAssertTrue(zsh.contains("'--retriever[") && zsh.contains(":(dense bm25 hybrid)'"))
        XCTAssertTrue(fish.contains("-l retriever -x -a 'dense bm25 hybrid'"))
        XCTAssertTrue(fish.contains("from search' -l index -r -F"))
        for (shell, text) in [("zsh", zsh), ("fish", fish)] {
            if let r = try syntaxCheck(shell, text) { XCTAssertEqual(r.status, 0, shell + ": " + r.stderr) }
        }
    }

    func testAnUnknownShellIsAUsageError() throws {
        let r = try IndexerProcess.run(["completions", "tcsh"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("bash|zsh|fish"), r.stderr)
    }
}
