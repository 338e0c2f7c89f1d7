import Foundation
import Formats

/// The run log: one JSON line per step event in `OUTPUT/run-log.jsonl` (format version 1,
/// docs/JOBS.md). Appended, never rewritten, so that a cron history survives.
struct RunLog {
    let path: String
    let runID: String

    /// Appends one event; each line is written with a single `write` so lines never interleave.
    func append(_ fields: [String: Any]) {
        var f = fields
        f["v"] = 1
        f["run"] = runID
        f["time"] = ISO8601DateFormatter().string(from: Date())
        guard let data = try? JSONSerialization.data(withJSONObject: f, options: [.sortedKeys]) else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var line = data
        line.append(0x0A)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
    }
}
