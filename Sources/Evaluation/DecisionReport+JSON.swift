import Formats
import Foundation

extension DecisionReport {
    /// Everything in machine-readable form.
    public func json() -> JSONValue {
        return .object(
            [
                (
                    "verdict",
                    .object([
                        ("label", .string(verdict.label.rawValue)), ("reason", .string(verdict.reason)),
                        ("depth", .int(main.depth)), ("configuration", .string(main.name)),
                    ])
                ),
                ("note", request.note.map { .string($0) } ?? .null),
                ("k", .int(request.k)),
                ("qrels", .string(request.qrelsPath)),
                ("firstStage", .string(request.firstStagePath)),
                ("judgedQueries", .int(judgedQueries)),
                ("evaluatedQueries", .int(evaluatedQueries)),
                ("relevanceLevel", .int(request.rules.relevanceLevel)),
                ("allJudged", .bool(request.rules.allJudged)),
                ("thresholds", thresholdsJSON()),
                ("cheapestDepth", cheapest.map { .int(comparisons[$0].depth) } ?? .null),
                (
                    "significance",
                    .object([
                        ("test", .string("paired randomisation, two-sided, sign flips")),
                        ("permutations", .int(request.permutations)), ("seed", .int(Int(request.seed))),
                    ])
                ),
                ("comparisons", .array((request.names == nil ? comparisons.sorted(by: { $0.depth < $1.depth }) : comparisons).map(comparisonJSON))),
            ] + extraJSON())
    }

    /// One comparison (a model or a depth) with its figures, headroom and cost.
    func comparisonJSON(_ x: Comparison) -> JSONValue {
        var p: [(String, JSONValue)] = [
            ("name", .string(x.name)),
            ("reranked", .string(x.rerankedPath)),
            ("depth", .int(x.depth)),
            ("firstStage", .object(zip(topMetrics, x.firstStage).map { ($0.name, .number($1)) })),
            ("rerankedMeans", .object(zip(topMetrics, x.reranked).map { ($0.name, .number($1)) })),
            ("ndcgGain", .number(x.ndcgGain)),
            ("wins", .int(x.wins)), ("ties", .int(x.ties)), ("losses", .int(x.losses)),
            ("randomisationP", .number(x.pRandomisation)),
            ("tTest", .object([("t", .number(x.tStatistic)), ("p", .number(x.pTTest))])),
            ("missingInReranked", .int(x.missingInReranked)),
            (
                "headroom",
                .object([
                    ("depth", .int(x.headroom.depth)),
                    ("recallAtDepth", .number(x.headroom.recallAtDepth)),
                    ("recallAtK", .number(x.headroom.recallAtK)),
                    ("queriesWithRelevant", .int(x.headroom.queriesWithRelevant)),
                    ("alreadyInTopK", .int(x.headroom.alreadyInTopK)),
                    ("fixable", .int(x.headroom.fixable)),
                    ("unreachable", .int(x.headroom.unreachable)),
                    ("perfectRerankerNDCG", .number(x.headroom.oracleNDCG)),
                ])
            ),
        ]
        if let c = x.cost {
            p.append(
                (
                    "cost",
                    .object([
                        ("timings", .string(c.path)), ("queries", .int(c.queries)),
                        ("p50Ms", .number(c.p50)), ("p95Ms", .number(c.p95)), ("meanMs", .number(c.meanMilliseconds)),
                        ("totalPairs", .int(c.totalPairs)), ("pairsPerQuery", .number(c.pairsPerQuery)),
                        ("tokensPerQuery", .number(c.tokensPerQuery)), ("queriesWithoutTiming", .int(c.missing)),
                    ])
                ))
        } else {
            p.append(("cost", .null))
        }
        return .object(p)
    }

    /// The thresholds the verdict was decided with.
    func thresholdsJSON() -> JSONValue {
        let t = request.thresholds
        return .object([
            ("alpha", .number(t.alpha)), ("minimumGain", .number(t.minimumGain)),
            ("preciseHeadroom", .number(t.preciseHeadroom)),
            ("recallProblemShare", .number(t.recallProblemShare)),
            ("sweepTolerance", .number(t.sweepTolerance)),
            ("keepGain", .number(t.keepGain)),
            ("latencyBudgetMs", t.latencyBudgetMs.map { .number($0) } ?? .null),
        ])
    }
}
