import Foundation

/// Quality gates: bounds on the final run's figures, so CI can fail a change that makes
/// retrieval worse (exit code 3).
enum Gates {
    /// One message per failed gate, naming the metric, the figure and the bound.
    static func check(_ gates: [JobSpec.Gate], figures: [String: Double], run: String) -> [String] {
        var failures: [String] = []
        for g in gates {
            guard let v = figures[g.metric] else {
                failures.append("gate \(g.metric): the metric was not measured (add it to eval.metrics)")
                continue
            }
            if let lo = g.min, v < lo {
                failures.append(String(format: "gate %@: %.4f is below the minimum %.4f (%@)", g.metric, v, lo, run))
            }
            if let hi = g.max, v > hi {
                failures.append(String(format: "gate %@: %.4f is above the maximum %.4f (%@)", g.metric, v, hi, run))
            }
        }
        return failures
    }
}
