import Formats
import Foundation

/// A cheaper alternative without a reranker (BM25, dense, hybrid), against the verdict's configuration.
public struct Baseline: Sendable {
    /// Its name and file.
    public var run: NamedRun
    /// Means over the evaluated queries, in the order of ``DecisionReport/topMetrics``.
    public var means: [Double]
    /// nDCG@k of every evaluated query.
    public var perQuery: [Double]
    /// Evaluated queries absent from it (counted as 0).
    public var missing: Int
    /// The verdict's configuration's nDCG@k minus this baseline's.
    public var difference: Double
    /// Paired randomisation p of that difference.
    public var pRandomisation: Double
    /// Paired t-test p (cross-check).
    public var pTTest: Double
}

extension DecisionReport {
    /// Evaluates the baselines, compares each with the verdict's configuration and applies rule 7.
    mutating func addBaselines(_ scored: Scored) throws {
        let c = main
        for b in request.baselines {
            let (values, missing) = scored.values(try TrecRun.read(path: b.path))
            let d = zip(c.perQuery, values[0]).map { $0 - $1 }
            baselines.append(
                Baseline(
                    run: b, means: values.map(Self.mean), perQuery: values[0], missing: missing,
                    difference: c.reranked[0] - Self.mean(values[0]),
                    pRandomisation: Statistics.randomisationTest(differences: d, permutations: request.permutations, seed: request.seed),
                    pTTest: Statistics.pairedTTest(differences: d).p))
        }
        guard
            let bi = baselines.indices.max(by: {
                baselines[$0].means[0] < baselines[$1].means[0] || (baselines[$0].means[0] == baselines[$1].means[0] && $0 > $1)
            })
        else { return }
        bestBaseline = bi
        applyBaselineRule(baselines[bi])
    }

    /// Rule 7: the best baseline significantly better -> "the baseline is better"; a paying
    /// verdict that does not significantly beat it -> "no better than the baseline"; else a sentence is added.
    mutating func applyBaselineRule(_ b: Baseline) {
        let t = request.thresholds
        let p = randomisationText(b.pRandomisation, permutations: request.permutations)
        let vs = "\(main.name) \(fixed4(main.reranked[0])) vs the best baseline \(b.run.name) \(fixed4(b.means[0])) (\(signed(b.difference)), \(p))"
        if b.difference <= -t.minimumGain && b.pRandomisation < t.alpha {
            verdict = Verdict(
                label: .baselineBetter,
                reason: "\(vs): \(b.run.name) without a reranker is significantly better. Before that: \(verdict.label.rawValue): \(verdict.reason)")
        } else if (verdict.label == .pays || verdict.label == .doesNotFit) && !(b.difference >= t.minimumGain && b.pRandomisation < t.alpha) {
            verdict = Verdict(
                label: .baselineAsGood,
                reason:
                    "\(vs): reranking does not significantly beat simply using \(b.run.name). Over its own first stage: \(verdict.label.rawValue): \(verdict.reason)"
            )
        } else {
            let beats =
                b.difference >= t.minimumGain && b.pRandomisation < t.alpha
                ? "reranking beats the best baseline" : "no significant difference from the best baseline"
            verdict.reason += " Against the baselines: \(vs): \(beats)."
        }
    }
}
