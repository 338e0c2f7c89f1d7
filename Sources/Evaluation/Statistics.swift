import Formats
import Foundation

/// Paired significance tests and summary statistics used by the report.
public enum Statistics {
    /// Two-sided paired randomisation (sign-flip permutation) test of mean(differences) != 0.
    ///
    /// Each permutation flips the sign of every difference with probability 1/2 (drawn from
    /// ``SplitMix64`` seeded with `seed`); p = (1 + #{|permuted mean| >= |observed mean|}) /
    /// (1 + permutations), so p is never 0. Deterministic for a given seed and count.
    public static func randomisationTest(differences d: [Double], permutations: Int = 10_000, seed: UInt64 = 20_240_601) -> Double {
        guard !d.isEmpty, permutations > 0 else { return 1 }
        let n = Double(d.count)
        let observed = abs(d.reduce(0, +) / n)
        // Compare with a relative tolerance: sums in another order may differ in the last bit.
        let threshold = observed - 1e-12 * max(1, observed)
        var rng = SplitMix64(seed: seed)
        var extreme = 0
        for _ in 0..<permutations {
            var sum = 0.0
            var bits: UInt64 = 0
            var left = 0
            for x in d {
                if left == 0 { bits = rng.next(); left = 64 }
                sum += (bits & 1) == 1 ? x : -x
                bits >>= 1
                left -= 1
            }
            if abs(sum / n) >= threshold { extreme += 1 }
        }
        return Double(extreme + 1) / Double(permutations + 1)
    }

    /// Two-sided paired t-test p-value for mean(differences) != 0 (1 when undefined, e.g. all
    /// differences equal to zero).
    public static func pairedTTest(differences d: [Double]) -> (t: Double, p: Double) {
        let n = d.count
        guard n >= 2 else { return (0, 1) }
        let mean = d.reduce(0, +) / Double(n)
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        guard variance > 0 else { return (mean == 0 ? 0 : .infinity, mean == 0 ? 1 : 0) }
        let t = mean / (variance / Double(n)).squareRoot()
        let df = Double(n - 1)
        let p = regularizedIncompleteBeta(x: df / (df + t * t), a: df / 2, b: 0.5)
        return (t, min(1, max(0, p)))
    }

    /// The nearest-rank percentile: the smallest value with at least `p`% of values <= it.
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }

    /// I_x(a, b), by the continued fraction of the incomplete beta function (modified Lentz),
    /// using the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) where the fraction converges slowly.
    static func regularizedIncompleteBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let lnPowers: Double = a * log(x) + b * log(1 - x)
        let lnFront = lnBeta + lnPowers
        if x < (a + 1) / (a + b + 2) {
            return exp(lnFront) * betaContinuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(lnFront) * betaContinuedFraction(x: 1 - x, a: b, b: a) / b
    }

    private static func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...500 {
            let m = Double(m)
            // Even step.
            var num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            // Odd step.
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
