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

    /// Scores every query against `rows` float vectors (row-major); then ``withScores(query:rows:_:)``.
    public func score(vectors: UnsafeBufferPointer<Float>, rows: Int) {
        let block = PackedBlock()
        block.pack(vectors: vectors, rows: rows, dimension: dimension)
        score(block)
    }

    /// Scores every query against `rows` int8 code vectors (before their scales).
    public func score(codes: UnsafeBufferPointer<Int8>, rows: Int) {
        let block = PackedBlock()
        block.pack(codes: codes, rows: rows, dimension: dimension)
        score(block)
    }

    /// Scores every query against a packed block into this scorer's own buffer.
    func score(_ block: PackedBlock) {
        score(block, into: &scores)
        stride = block.stride
    }

    /// Scores every query against a packed block into `buffer` (`paddedCount × block.stride`,
    /// query-major; resized when too small). Safe to call from several threads with
    /// different buffers: the queries are only read.
    func score(_ block: PackedBlock, into buffer: inout [Float]) {
        precondition(block.dimension == dimension)
        let s = block.stride
        if buffer.count < paddedCount * s { buffer = [Float](repeating: 0, count: paddedCount * s) }
        paddedQueries.withUnsafeBufferPointer { q in
            block.packed.withUnsafeBufferPointer { p in
                buffer.withUnsafeMutableBufferPointer { c in
                    dk_scores(q.baseAddress, paddedCount, dimension, p.baseAddress, block.rows, c.baseAddress, s)
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

/// A block of document vectors packed for the kernels (panels of 16, component-major), packed
/// once and scored against any number of query groups.
final class PackedBlock {
    private(set) var packed: [Float] = []
    private(set) var rows = 0
    private(set) var dimension = 0
    /// Rows rounded up to a whole panel: the score matrix's row length.
    var stride: Int { (rows + Int(DK_PANEL) - 1) / Int(DK_PANEL) * Int(DK_PANEL) }

    private func prepare(rows: Int, dimension: Int) {
        self.rows = rows
        self.dimension = dimension
        let n = dk_packed_count(rows, dimension)
        if packed.count < n { packed = [Float](repeating: 0, count: n) }
    }

    func pack(vectors: UnsafeBufferPointer<Float>, rows: Int, dimension: Int) {
        precondition(vectors.count >= rows * dimension)
        prepare(rows: rows, dimension: dimension)
        packed.withUnsafeMutableBufferPointer { dk_pack_f32(vectors.baseAddress, rows, dimension, $0.baseAddress) }
    }

    func pack(codes: UnsafeBufferPointer<Int8>, rows: Int, dimension: Int) {
        precondition(codes.count >= rows * dimension)
        prepare(rows: rows, dimension: dimension)
        packed.withUnsafeMutableBufferPointer { dk_pack_i8(codes.baseAddress, rows, dimension, $0.baseAddress) }
    }
}
