import Foundation

/// Per-query rerank cost against rerank depth: the least-squares line p95 = a + b K through the
/// measured depths (two or more), or the line through the origin and the one measured depth.
/// Used to estimate the cost of a depth that was not timed; every use is labelled an estimate.
public struct CostModel: Sendable, Equatable {
    /// Intercept (ms).
    public var intercept: Double
    /// Slope (ms per candidate).
    public var slope: Double

    /// The fit through (depth, p95 ms) points; nil without a point or with a zero or negative slope.
    public init?(points: [(depth: Int, ms: Double)]) {
        guard !points.isEmpty else { return nil }
        let xs = points.map { Double($0.depth) }, ys = points.map(\.ms)
        if Set(xs).count < 2 {
            intercept = 0
            slope = ys.reduce(0, +) / xs.reduce(0, +)
        } else {
            let n = Double(xs.count)
            let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
            let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
            let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
            slope = sxy / sxx
            intercept = my - slope * mx
        }
        guard slope > 0, slope.isFinite else { return nil }
    }

    /// Estimated p95 ms per query at depth `k`.
    public func estimate(_ k: Int) -> Double { intercept + slope * Double(k) }

    /// The largest depth whose estimated p95 is within `budget` ms (0 if none).
    public func deepestWithin(_ budget: Double) -> Int {
        let k = ((budget - intercept) / slope).rounded(.down)
        return k >= 1 ? Int(min(k, 10_000_000)) : 0
    }
}
