import CDenseKernels

/// Exact inner products of a query matrix with blocks of document vectors, each score one
/// fused multiply-add chain in component order (see `DenseKernels.h`), so bitwise the same
/// for any batch of queries, block, shard count or thread count.
///
/// Scores, by vector encoding:
/// - f32, f16: `Σ_k q_k · v_k`, with `v` the stored (for f16: widened) components.
/// - int8: `scale · Σ_k q_k · code_k` (the chain over the exact integer codes, then one
///   multiplication by the vector's scale): the dequantised vector `code · scale` dotted with
///   the query, with one rounding fewer than dequantising first.
public final class ExactScorer {
    /// Components a vector.
    public let dimension: Int
    /// Queries scored (before padding).
    public let queryCount: Int
    /// Padded to a multiple of the kernel's query tile with zero queries.
    let paddedQueries: [Float]
    let paddedCount: Int
    private var packed: [Float] = []
    /// `paddedCount × stride` scores of the last block.
    private(set) var scores: [Float] = []
    private(set) var stride = 0

    /// A scorer for `count` queries (`count × dimension` floats, row-major).
    public convenience init(queries: [Float], count: Int, dimension: Int) {
        precondition(queries.count == count * dimension)
        let tile = Int(DK_QUERY_TILE)
        let padded = (count + tile - 1) / tile * tile
        var q = queries
        q.append(contentsOf: repeatElement(0, count: (padded - count) * dimension))
        self.init(padded: q, count: count, paddedCount: padded, dimension: dimension)
    }

    init(padded: [Float], count: Int, paddedCount: Int, dimension: Int) {
        self.dimension = dimension
        queryCount = count
        self.paddedCount = paddedCount
        paddedQueries = padded
    }

    /// The name of the vector kernel this machine uses (`avx512`, `avx2`, `scalar`).
    public static var kernelName: String { String(cString: dk_kernel_name()) }

    /// Scores every query against `rows` float vectors (row-major); then ``score(query:row:)``.
    public func score(vectors: UnsafeBufferPointer<Float>, rows: Int) {
        precondition(vectors.count >= rows * dimension)
        prepare(rows: rows)
        packed.withUnsafeMutableBufferPointer { p in dk_pack_f32(vectors.baseAddress, rows, dimension, p.baseAddress) }
        run(rows: rows)
    }

    /// Scores every query against `rows` int8 code vectors (before their scales).
    public func score(codes: UnsafeBufferPointer<Int8>, rows: Int) {
        precondition(codes.count >= rows * dimension)
        prepare(rows: rows)
        packed.withUnsafeMutableBufferPointer { p in dk_pack_i8(codes.baseAddress, rows, dimension, p.baseAddress) }
        run(rows: rows)
    }

    private func prepare(rows: Int) {
        let n = dk_packed_count(rows, dimension)
        if packed.count < n { packed = [Float](repeating: 0, count: n) }
        let panel = Int(DK_PANEL)
        stride = (rows + panel - 1) / panel * panel
        if scores.count < paddedCount * stride { scores = [Float](repeating: 0, count: paddedCount * stride) }
    }

    private func run(rows: Int) {
        let s = stride
        paddedQueries.withUnsafeBufferPointer { q in
            packed.withUnsafeBufferPointer { p in
                scores.withUnsafeMutableBufferPointer { c in
                    dk_scores(q.baseAddress, paddedCount, dimension, p.baseAddress, rows, c.baseAddress, s)
                }
            }
        }
    }

    /// Runs `body` with the scores of query `query` for the rows of the last block.
    @inline(__always)
    func withScores<R>(query: Int, rows: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scores.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[(query * stride)..<(query * stride + rows)])) }
    }

    /// The reference definition of a score: one scalar fused multiply-add chain from +0.
    public static func referenceScore(_ q: ArraySlice<Float>, _ v: ArraySlice<Float>) -> Float {
        precondition(q.count == v.count)
        var acc: Float = 0
        for (a, b) in zip(q, v) { acc = acc.addingProduct(a, b) }
        return acc
    }
}
