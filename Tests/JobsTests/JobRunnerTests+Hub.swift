import Formats
import TestSupport
import XCTest

@testable import Jobs

/// A job whose reranker is `hf:ORG/NAME`: resolved through the job's environment (its Hub
/// cache), not refused as a missing path.
extension JobRunnerTests {
    /// A Hugging Face cache holding the tiny cross-encoder as `org/tiny-reranker` at `main`.
    func hubCache() throws -> String {
        let cache = root + "/hub"
        let commit = String(repeating: "ab", count: 20)
        let repo = cache + "/models--org--tiny-reranker"
        let snapshot = repo + "/snapshots/" + commit
        try FileManager.default.createDirectory(atPath: repo + "/refs", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: repo + "/snapshots", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.tinyCrossEncoder, toPath: snapshot)
        try commit.write(toFile: repo + "/refs/main", atomically: true, encoding: .utf8)
        return cache
    }

    func testAHubRerankerIsResolvedFromTheJobsCache() throws {
        let cache = try hubCache()
        let spec = try JobSpec.load(path: root + "/jobs/t.json", overrides: ["rerank.model=hf:org/tiny-reranker"])
        var env = env
        env["HF_HUB_CACHE"] = cache
        env["HF_HUB_OFFLINE"] = "1"
        let o = try JobRunner(spec: spec, options: JobRunOptions(quiet: true, environment: env)).run()
        XCTAssertEqual(status(o)["rerank"], "ran")
        let viaHub = try bytes(root + "/out/t/reranked.run")
        // The same model from its folder gives the same run.
        _ = try runJob(["rerank.model=" + cache + "/models--org--tiny-reranker/snapshots/" + String(repeating: "ab", count: 20)])
        XCTAssertEqual(try bytes(root + "/out/t/reranked.run"), viaHub)

        // Not in the cache: the resolver's error, naming the reference, not a missing path.
        let absent = try JobSpec.load(path: root + "/jobs/t.json", overrides: ["rerank.model=hf:org/absent"])
        XCTAssertThrowsError(try JobRunner(spec: absent, options: JobRunOptions(quiet: true, environment: env)).run()) {
            XCTAssertTrue("\($0)".contains("org/absent"), "\($0)")
            XCTAssertFalse("\($0)".contains("does not exist"), "\($0)")
        }
    }
}
