import Foundation

/// Mixes the cross-encoder's scores with the first stage's over one query's head.
///
/// `combined = (1 - w) * z(cross-encoder) + w * z(first stage)`, where `z` standardises a
/// query's K head scores (subtract their mean, divide by their population standard deviation;
/// all zeros when they are all equal). Standardising per query makes the weight mean the same
/// thing whatever the first stage's scale is (cosines, BM25, RRF, another tool's numbers): an
/// affine change of either score list does not change the order. `w = 0` is the cross-encoder
/// alone, `w = 1` the first stage's own order. Computed in Double, written as Float.
public enum ScoreInterpolation {
    /// The combined head scores, in the head's order.
    public static func combine(crossEncoder: [Float], firstStage: [Double], weight w: Double) -> [Float] {
        precondition(crossEncoder.count == firstStage.count)
        let a = standardised(crossEncoder.map(Double.init))
        let b = standardised(firstStage)
        return zip(a, b).map { Float((1 - w) * $0 + w * $1) }
    }

    /// `(x - mean) / sd` with the population standard deviation; zeros when `sd` is 0.
    static func standardised(_ x: [Double]) -> [Double] {
        guard !x.isEmpty else { return [] }
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
        let sd = variance.squareRoot()
        guard sd > 0, sd.isFinite else { return x.map { _ in 0 } }
        return x.map { ($0 - mean) / sd }
    }
}
