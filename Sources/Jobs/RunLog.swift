import Formats
import Foundation

/// The run log: one JSON line per step event in `OUTPUT/run-log.jsonl` (format version 1,
/// docs/JOBS.md). Appended, never rewritten, so that a cron history survives.
///
/// Lines are whole or absent (``JSONLinesFile``): a failed write is cut back and reported, a
/// partial last line left by a crash is dropped before the next append. Step events are also
/// recorded in the `--log-json` file when one is open (``EventLog``), in the same schema.
struct RunLog {
    let path: String
    let runID: String

    /// Appends one event with a single `write` (lines never interleave); throws when it fails.
    func append(_ fields: [String: Any]) throws {
        var f = fields
        f["v"] = 1
        f["run"] = runID
        f["time"] = ISO8601DateFormatter().string(from: Date())
        try JSONLinesFile(path: path, name: "the run log").append(f, sync: true)
        // The command's own start and end frame the JSON log; the job's are kept under other names.
        if let event = fields["event"] as? String {
            var mirrored = fields
            mirrored["event"] = nil
            mirrored["job_run"] = runID
            EventLog.record(event == "start" || event == "end" ? "job-" + event : event, mirrored)
        }
    }

    /// Appends, and on failure warns instead of throwing (for events written while another
    /// error is already on its way out).
    func appendOrWarn(_ fields: [String: Any]) {
        do { try append(fields) } catch { Console.warning("the run log misses an event: \(error)") }
    }
}
