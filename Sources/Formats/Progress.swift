import Foundation

/// Progress of long work on standard error: a live bar on a terminal, plain lines every 10 s
/// otherwise (cron, CI and Slurm logs), one closing line with the rate, and a `progress`
/// event every 10 s in the `--log-json` file when one is open (``EventLog``).
///
/// Callers count items (documents, pairs, queries) as they finish; what is printed is
/// throttled by time, never by count, so the line moves however the work is batched. A timer
/// redraws the line at least every second even while one batch is still being computed.
public final class Progress: @unchecked Sendable {
    /// Seconds on a clock that only moves forward; injectable so that tests need no sleeps.
    public typealias Clock = @Sendable () -> Double

    /// The process's monotonic clock, in seconds.
    public static let monotonic: Clock = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    /// Seconds between plain lines when standard error is not a terminal.
    public static let logInterval: Double = 10
    /// Seconds between redraws of the live line on a terminal.
    public static let liveInterval: Double = 0.5

    private let label: String
    private let total: Int?
    private let unit: String
    private let lock = NSLock()
    private var done = 0
    private let clock: Clock
    private let started: Double
    private var lastPrint: Double
    private var lastLog: Double
    private let interval: Double
    private let live: Bool
    private let enabled: Bool
    private let output: @Sendable (String) -> Void
    private var timer: DispatchSourceTimer?
    private var finished = false

    /// - Parameters:
    ///   - label: what is being done ("build shard 1/4").
    ///   - total: the number of units when known, for a percentage and an ETA.
    ///   - unit: the plural name of a unit ("docs", "queries").
    ///   - quiet: no output on standard error (tests, `--quiet`); the JSON log still records.
    public convenience init(_ label: String, total: Int?, unit: String, quiet: Bool = false) {
        self.init(
            label, total: total, unit: unit,
            quiet: quiet || ProcessInfo.processInfo.environment["INDEXER_QUIET"] != nil,
            live: Console.isTerminal, clock: Progress.monotonic, output: { Console.write($0) })
        startTimer()
    }

    /// A progress with its own clock and output and no timer (tests drive it with ``tick()``).
    public init(
        _ label: String, total: Int?, unit: String, quiet: Bool, live: Bool, clock: @escaping Clock,
        output: @escaping @Sendable (String) -> Void
    ) {
        self.label = label
        self.total = total
        self.unit = unit
        self.live = live
        self.clock = clock
        self.output = output
        interval = live ? Progress.liveInterval : Progress.logInterval
        enabled = !quiet
        started = clock()
        // Nothing is shown before one interval has passed: a first line needs a rate.
        lastPrint = started
        lastLog = started
    }

    deinit { timer?.cancel() }

    /// Records `n` more units done; prints when the interval has passed.
    public func advance(by n: Int) {
        lock.lock()
        defer { lock.unlock() }
        done += n
        report(now: clock())
    }

    /// Prints (and logs) what is due now without counting anything (the timer calls it).
    public func tick() {
        lock.lock()
        defer { lock.unlock() }
        report(now: clock())
    }

    /// Prints the closing line: units, seconds, rate.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        timer?.cancel()
        timer = nil
        guard !finished else { return }
        finished = true
        let secs = clock() - started
        let rate = secs > 0 ? Double(done) / secs : 0
        EventLog.record("progress", fields(seconds: secs, rate: rate).merging(["finished": true]) { $1 })
        guard enabled else { return }
        let pad = live ? "\u{1B}[K" : ""
        output(String(format: "%@: %d %@ in %.1f s (%.1f %@/s)%@\n", label, done, unit, secs, rate, unit, pad))
    }

    /// The progress line at `now`, or nil while there is no rate to show; lock held (or a test).
    func line(at now: Double) -> String? {
        let secs = now - started
        guard done > 0, secs > 0 else { return nil }
        let rate = Double(done) / secs
        guard let total, total > 0 else {
            return String(format: "%@: %d %@, %.1f %@/s", label, done, unit, rate, unit)
        }
        let fraction = min(1, Double(done) / Double(total))
        let eta = Progress.clock(Double(max(0, total - done)) / rate)
        if live {
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            return String(
                format: "%@ [%@] %3.0f%% %d/%d %@, %.1f/s, ETA %@\u{1B}[K", label, bar, fraction * 100,
                done, total, unit, rate, eta)
        }
        return String(
            format: "%@: %d/%d %@ (%.0f%%), %.1f %@/s, ETA %@", label, done, total, unit,
            fraction * 100, rate, unit, eta)
    }

    /// Called with the lock held.
    private func report(now: Double) {
        guard !finished else { return }
        if enabled, now - lastPrint >= interval, let text = line(at: now) {
            lastPrint = now
            output(text + (live ? "\r" : "\n"))
        }
        if EventLog.isOpen, now - lastLog >= Progress.logInterval, done > 0 {
            lastLog = now
            let secs = now - started
            EventLog.record("progress", fields(seconds: secs, rate: Double(done) / secs))
        }
    }

    private func fields(seconds: Double, rate: Double) -> [String: Any] {
        var f: [String: Any] = ["label": label, "unit": unit, "done": done, "seconds": Progress.rounded(seconds), "rate": Progress.rounded(rate)]
        if let total, total > 0 {
            f["total"] = total
            if rate > 0 { f["eta_seconds"] = Progress.rounded(Double(max(0, total - done)) / rate) }
        }
        return f
    }

    /// Redraws at least every second while a long batch keeps `advance` from being called.
    private func startTimer() {
        guard enabled || EventLog.isOpen else { return }
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        t.schedule(deadline: .now() + Progress.liveInterval, repeating: Progress.liveInterval)
        t.setEventHandler { [weak self] in self?.tick() }
        timer = t
        t.resume()
    }

    /// `x` to three decimals, as the JSON log writes seconds and rates.
    public static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
