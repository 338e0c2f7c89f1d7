import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process's `--log-json FILE`: its events as JSON lines in the run log's schema (format
/// version 1: `v`, `run`, `time`, `event`; docs/JOBS.md), appended whole lines at a time.
///
/// Progress and warnings record into it wherever they happen; with no log open, recording
/// does nothing. A failed append warns once on standard error and never fails the command:
/// the log is a record of the work, not one of its outputs.
public enum EventLog {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var file: JSONLinesFile?
    nonisolated(unsafe) private static var runID = ""
    nonisolated(unsafe) private static var warned = false

    /// Opens `path` for this process's events (appending: earlier runs stay); checks it can be written.
    public static func open(path: String, runID id: String) throws {
        let f = JSONLinesFile(path: path, name: "the JSON log")
        // Fail now (a usage-time error), not at the first event: append nothing, just open.
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IndexerError.io("cannot open the JSON log", path: path) }
        Glibc.close(fd)
        lock.lock()
        defer { lock.unlock() }
        file = f
        runID = id
        warned = false
    }

    /// Whether a log is open (callers skip building events otherwise).
    public static var isOpen: Bool {
        lock.lock()
        defer { lock.unlock() }
        return file != nil
    }

    /// Appends `{"event": event, ...fields}` with the version, run id and time; no-op when closed.
    public static func record(_ event: String, _ fields: [String: Any] = [:], sync: Bool = false) {
        lock.lock()
        defer { lock.unlock() }
        guard let file else { return }
        var f = fields
        f["v"] = 1
        f["run"] = runID
        f["event"] = event
        f["time"] = ISO8601DateFormatter().string(from: Date())
        do { try file.append(f, sync: sync) } catch {
            if !warned { Console.write("indexer: warning: the JSON log misses events: \(error)\n") }
            warned = true
        }
    }

    /// Stops recording (the end event is written first, with `sync`).
    public static func close() {
        lock.lock()
        defer { lock.unlock() }
        file = nil
    }
}
