import Foundation
import TestSupport
import XCTest

@testable import Formats

/// One version everywhere: `indexer --version`, the Docker image's label, the image tags in
/// the Dockerfile, the Kubernetes manifests and the README all say IndexerVersion.current.
final class VersionConsistencyTests: XCTestCase {
    let root = IndexerProcess.packageRoot

    func text(_ path: String) throws -> String { try String(contentsOfFile: root + "/" + path, encoding: .utf8) }

    /// Every capture of `pattern`'s first group in `text`.
    func captures(_ pattern: String, in text: String) throws -> [String] {
        let re = try NSRegularExpression(pattern: pattern)
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            String(text[Range(m.range(at: 1), in: text)!])
        }
    }

    func testBinaryPrintsTheSourceVersion() throws {
        let source = try captures(#"current = "([0-9]+\.[0-9]+\.[0-9]+)""#, in: try text("Sources/Formats/Version.swift"))
        XCTAssertEqual(source, [IndexerVersion.current])
        let r = try IndexerProcess.run(["--version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "indexer \(IndexerVersion.current)\n")
    }

    func testDockerfileLabelsTheImageWithTheVersion() throws {
        let dockerfile = try text("Dockerfile")
        XCTAssertEqual(try captures(#"(?m)^ARG INDEXER_VERSION=(\S+)$"#, in: dockerfile), [IndexerVersion.current])
        XCTAssertEqual(
            try captures(#"org\.opencontainers\.image\.version="(\$\{INDEXER_VERSION\})""#, in: dockerfile), ["${INDEXER_VERSION}"],
            "the label is the build argument")
        // The ARG is declared in the runtime stage (after its FROM), where LABEL can see it.
        let runtime = try XCTUnwrap(dockerfile.range(of: "FROM ${RUNTIME_IMAGE}"))
        XCTAssertTrue(dockerfile[runtime.upperBound...].contains("ARG INDEXER_VERSION="))
    }

    func testImageTagsNameTheVersion() throws {
        var files = ["Dockerfile", "README.md"]
        files += try FileManager.default.contentsOfDirectory(atPath: root + "/deploy/kubernetes").filter { $0.hasSuffix(".yaml") }
            .map { "deploy/kubernetes/" + $0 }
        var tags: [String: Set<String>] = [:]
        for f in files { tags[f] = Set(try captures(#"indexer:([0-9]+\.[0-9]+\.[0-9]+)"#, in: try text(f))) }
        XCTAssertFalse(tags.values.allSatisfy(\.isEmpty), "no image tag found at all")
        for (f, t) in tags where !t.isEmpty { XCTAssertEqual(t, [IndexerVersion.current], f) }
    }
}
