import Foundation

/// Progress of long work on standard error: a live bar on a terminal, plain lines every few
/// seconds otherwise (cron and CI logs), and one closing line with the rate.
public final class Progress: @unchecked Sendable {
    private let label: String
    private let total: Int?
    private let unit: String
    private let lock = NSLock()
    private var done = 0
    private let started = Date()
    private var lastPrint = Date.distantPast
    private let interval: TimeInterval
    private let live: Bool
    private let enabled: Bool

    /// - Parameters:
    ///   - label: what is being done ("build shard 1/4").
    ///   - total: the number of units when known, for a percentage and an ETA.
    ///   - unit: the plural name of a unit ("docs", "queries").
    ///   - quiet: no output at all (tests, `--quiet`).
    public init(_ label: String, total: Int?, unit: String, quiet: Bool = false) {
        self.label = label
        self.total = total
        self.unit = unit
        live = Console.isTerminal
        interval = live ? 0.2 : 10
        enabled = !quiet && ProcessInfo.processInfo.environment["INDEXER_QUIET"] == nil
    }

    /// Records `n` more units done; prints when the interval has passed.
    public func advance(by n: Int) {
        lock.lock()
        defer { lock.unlock() }
        done += n
        guard enabled else { return }
        let now = Date()
        if now.timeIntervalSince(lastPrint) >= interval {
            lastPrint = now
            Console.write(line(now: now) + (live ? "\r" : "\n"))
        }
    }

    /// Prints the closing line: units, seconds, rate.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard enabled else { return }
        let secs = Date().timeIntervalSince(started)
        let rate = secs > 0 ? Double(done) / secs : 0
        let pad = live ? "\u{1B}[K" : ""
        Console.write(String(format: "%@: %d %@ in %.1f s (%.1f %@/s)%@\n", label, done, unit, secs, rate, unit, pad))
    }

    private func line(now: Date) -> String {
        let secs = now.timeIntervalSince(started)
        let rate = secs > 0 ? Double(done) / secs : 0
        guard let total, total > 0 else {
            return String(format: "%@: %d %@, %.1f %@/s", label, done, unit, rate, unit)
        }
        let fraction = min(1, Double(done) / Double(total))
        let eta = rate > 0 ? Double(total - done) / rate : 0
        if live {
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            return String(
                format: "%@ [%@] %3.0f%% %d/%d %@, %.1f/s, ETA %@\u{1B}[K", label, bar, fraction * 100,
                done, total, unit, rate, Progress.clock(eta))
        }
        return String(
            format: "%@: %d/%d %@ (%.0f%%), %.1f %@/s, ETA %@", label, done, total, unit,
            fraction * 100, rate, unit, Progress.clock(eta))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
