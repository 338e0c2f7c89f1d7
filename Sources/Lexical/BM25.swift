// BM25 exactly as Lucene's BM25Similarity computes it (Lucene 9/10, Anserini's defaults).
import Foundation

/// BM25's free parameters; the defaults are Anserini's (k1 = 0.9, b = 0.4).
public struct BM25Parameters: Equatable, Sendable {
    /// Term frequency saturation.
    public var k1: Float
    /// Length normalisation strength, in [0, 1].
    public var b: Float

    /// Anserini's defaults unless given.
    public init(k1: Float = 0.9, b: Float = 0.4) {
        self.k1 = k1
        self.b = b
    }
}

/// Collection statistics BM25 needs, summable across shards without loss: scores from N shards
/// equal the scores from one shard holding everything. Document frequencies are summed per query
/// term (see `LexicalSearcher`).
public struct LexicalCollectionStatistics: Equatable, Sendable {
    /// Documents with at least one term: Lucene's `docCount`, BM25's N.
    public var documentsWithTerms: Int
    /// Sum of document lengths: Lucene's `sumTotalTermFreq`.
    public var sumTotalTermFrequency: Int

    /// Creates statistics from their fields.
    public init(documentsWithTerms: Int, sumTotalTermFrequency: Int) {
        self.documentsWithTerms = documentsWithTerms
        self.sumTotalTermFrequency = sumTotalTermFrequency
    }

    /// The sum over segment headers.
    public init(headers: [LexicalSegmentHeader]) {
        documentsWithTerms = headers.reduce(0) { $0 + $1.documentsWithTerms }
        sumTotalTermFrequency = headers.reduce(0) { $0 + $1.sumTotalTermFrequency }
    }

    /// Component-wise sum.
    public static func + (l: Self, r: Self) -> Self {
        Self(
            documentsWithTerms: l.documentsWithTerms + r.documentsWithTerms,
            sumTotalTermFrequency: l.sumTotalTermFrequency + r.sumTotalTermFrequency)
    }
}

/// Lucene's `BM25Similarity` scoring, in the same single-precision steps so scores match Lucene's
/// to the last bit:
///
/// - idf = (float) ln(1 + (N - df + 0.5) / (df + 0.5)) computed in double;
/// - avgdl = (float) (sumTotalTermFreq / (double) N);
/// - per norm byte: cache = 1f / (k1 * ((1 - b) + b * dl / avgdl)) with dl the *decoded* norm
///   length (`LuceneSmallFloat`), not the exact length;
/// - term score = w - w / (1 + tf * cache), w = boost * idf (a query term repeated n times has
///   boost n, as in Anserini's bag-of-words query);
/// - document score = (float) of the double sum of its term scores (Lucene's disjunction scorers).
///
/// Lucene ≥ 9 dropped the constant (k1 + 1) factor of Lucene 8, which changes no ranking.
public struct BM25: Sendable {
    /// Parameters in use.
    public let parameters: BM25Parameters
    /// Statistics in use.
    public let statistics: LexicalCollectionStatistics
    /// avgdl as Lucene rounds it.
    public let averageLength: Float
    /// 1 / (k1 * (1 - b + b * dl / avgdl)) for each norm byte.
    public let normInverse: [Float]

    /// Prepares scoring for `statistics`.
    public init(parameters: BM25Parameters = BM25Parameters(), statistics: LexicalCollectionStatistics) {
        self.parameters = parameters
        self.statistics = statistics
        let n = max(statistics.documentsWithTerms, 1)
        let avgdl = Float(Double(statistics.sumTotalTermFrequency) / Double(n))
        averageLength = avgdl
        let k1 = parameters.k1, b = parameters.b
        normInverse = LuceneSmallFloat.lengthTable.map { dl in
            let oneMinusB: Float = 1 - b
            let scaled: Float = b * dl / avgdl
            let denominator: Float = k1 * (oneMinusB + scaled)
            return 1 / denominator
        }
    }

    /// Lucene's BM25 idf for a term in `documentFrequency` documents.
    public func idf(documentFrequency df: Int) -> Float {
        let n = Double(statistics.documentsWithTerms)
        return Float(log(1 + (n - Double(df) + 0.5) / (Double(df) + 0.5)))
    }

    /// The weight `boost * idf` of a query term.
    public func weight(documentFrequency df: Int, boost: Float = 1) -> Float {
        boost * idf(documentFrequency: df)
    }

    /// One term's contribution to a document with norm byte `norm`.
    @inline(__always) public func score(weight: Float, termFrequency tf: UInt32, norm: UInt8) -> Float {
        let x: Float = Float(tf) * normInverse[Int(norm)]
        return weight - weight / (1 + x)
    }
}
