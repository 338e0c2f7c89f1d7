import CSystem
import Foundation

/// The CPUs this process may use: its affinity mask (`taskset`, Slurm's and Kubernetes' CPU
/// pinning) and its cgroup v2 `cpu.max` quota (a container's CPU limit), whichever is smaller.
public enum CPUBudget {
    /// The thread counts every command and job file accepts.
    public static let threadRange = 1...1024
    /// The default thread count: CPUs this process may use, at least 1.
    public static var threads: Int { describe().threads }

    /// The default thread count and where it comes from (for the log line).
    public static func describe() -> (threads: Int, why: String) {
        let online = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let affinity = affinityCount()
        let quota = cgroupQuota()
        var n = min(online, affinity ?? online)
        if let q = quota { n = min(n, max(1, Int(q.rounded(.up)))) }
        var parts = ["\(online) online"]
        if let a = affinity { parts.append("affinity \(a)") }
        parts.append(quota.map { String(format: "cgroup cpu.max %.2f", $0) } ?? "no cgroup quota")
        return (max(1, n), parts.joined(separator: ", "))
    }

    /// Logs `threads (chosen|given)` once to standard error; returns `threads ?? default`.
    @discardableResult
    public static func resolve(_ threads: Int?, for what: String, quiet: Bool = false) -> Int {
        if let t = threads {
            if !quiet { Console.info("\(what): threads \(t) (--threads)") }
            return t
        }
        let d = describe()
        if !quiet { Console.info("\(what): threads \(d.threads) (CPUs this process may use: \(d.why))") }
        return d.threads
    }

    /// CPUs in this process's affinity mask (nil if it cannot be read).
    static func affinityCount() -> Int? {
        let n = Int(csystem_affinity_cpu_count())
        return n > 0 ? n : nil
    }

    /// The cgroup v2 CPU quota in CPUs (`cpu.max` "QUOTA PERIOD"; nil for "max" or no cgroup v2),
    /// the smallest along the path from this process's cgroup to the root.
    static func cgroupQuota(root: String = "/sys/fs/cgroup", selfCgroup: String = "/proc/self/cgroup") -> Double? {
        guard let text = try? String(contentsOfFile: selfCgroup, encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("0::") })
        else { return nil }
        var path = String(line.dropFirst(3))
        var best: Double?
        while true {
            let file = root + (path == "/" ? "" : path) + "/cpu.max"
            if let q = parseCPUMax((try? String(contentsOfFile: file, encoding: .utf8)) ?? "") {
                best = min(best ?? q, q)
            }
            if path == "/" || path.isEmpty { break }
            path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
            if path.isEmpty { path = "/" }
        }
        return best
    }

    /// `"200000 100000"` → 2.0; `"max 100000"` or garbage → nil.
    static func parseCPUMax(_ text: String) -> Double? {
        let f = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard f.count == 2, let q = Double(f[0]), let p = Double(f[1]), q > 0, p > 0 else { return nil }
        return q / p
    }
}
