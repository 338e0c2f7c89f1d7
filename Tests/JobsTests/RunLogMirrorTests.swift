import Formats
import XCTest

@testable import Jobs

/// `indexer run --log-json FILE`: the run log's events are recorded in the JSON log too, in
/// the same schema, with the job's start and end renamed so the command's own frame the file.
final class RunLogMirrorTests: XCTestCase {
    func testRunLogEventsAreMirroredIntoTheJSONLog() throws {
        let dir = NSTemporaryDirectory() + "runlog-mirror-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try EventLog.open(path: dir + "/events.jsonl", runID: "cmd")
        defer { EventLog.close() }
        let log = RunLog(path: dir + "/run-log.jsonl", runID: "job")
        try log.append(["event": "start", "job": "j.json"])
        try log.append(["event": "step", "step": "build", "status": "skipped"])
        try log.append(["event": "end", "figures": [String: Double]()])
        EventLog.close()
        func read(_ name: String) throws -> [[String: Any]] {
            try String(contentsOfFile: dir + "/" + name, encoding: .utf8).split(separator: "\n").map {
                try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }
        let run = try read("run-log.jsonl"), mirrored = try read("events.jsonl")
        XCTAssertEqual(run.map { $0["event"] as? String }, ["start", "step", "end"], "the run log itself is unchanged")
        XCTAssertEqual(mirrored.map { $0["event"] as? String }, ["job-start", "step", "job-end"])
        XCTAssertEqual(Set(mirrored.map { $0["run"] as? String }), ["cmd"])
        XCTAssertEqual(Set(mirrored.map { $0["job_run"] as? String }), ["job"])
        XCTAssertEqual(mirrored[1]["status"] as? String, "skipped")
        XCTAssertEqual(Set(mirrored.map { $0["v"] as? Int }), [1])
    }
}
