import Formats
import Foundation

/// A file of embedded queries (`indexer search --write-query-vectors`), so the N partial
/// searches of a distributed search embed the queries once between them.
///
/// Layout (version 1): one JSON header line (`format`, `version`, `model` fingerprint,
/// `dimension`, `queries` digest of the query and qrels files, `ids` in search order), then
/// `ids.count × dimension` little-endian float32 values. A reader checks the model, the
/// dimension and the query digest against its own search and refuses a mismatch.
public struct QueryVectors: Sendable {
    /// The bi-encoder fingerprint the vectors come from.
    public var model: String
    /// Components a vector.
    public var dimension: Int
    /// ``PartialSidecar/queryDigest(queries:qrels:)`` of the searched query file.
    public var queries: String
    /// Query ids, in the search's order (non-empty queries only).
    public var ids: [String]
    /// `ids.count * dimension` floats, query after query.
    public var vectors: [Float]

    struct Header: Codable {
        var format = "indexer-query-vectors"
        var version = 1
        var model: String
        var dimension: Int
        var queries: String
        var ids: [String]
    }

    /// Writes the file atomically.
    public func write(to path: String) throws {
        let header = Header(model: model, dimension: dimension, queries: queries, ids: ids)
        var data: Data
        do { data = try JSONEncoder().encode(header) } catch { throw IndexerError(.internal, "cannot encode the query-vector header: \(error)") }
        data.append(0x0A)
        vectors.withUnsafeBufferPointer { b in
            for v in b { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        try AtomicFile.write(data, to: path)
    }

    /// Reads and checks the layout of `path` (a bad file is a bad input, exit 2).
    public static func read(path: String) throws -> QueryVectors {
        let data = try InputFile.contents(path)
        guard let nl = data.firstIndex(of: 0x0A) else { throw IndexerError.badInput("no header line; not a query-vector file", path: path) }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: data[data.startIndex..<nl]) } catch {
            throw IndexerError.badInput("not a query-vector file (\(DecodingFailure.describe(error)))", path: path)
        }
        guard header.format == "indexer-query-vectors", header.version == 1, header.dimension > 0 else {
            throw IndexerError.badInput("format '\(header.format)' version \(header.version); this indexer reads indexer-query-vectors version 1", path: path)
        }
        let body = data[(nl + 1)...]
        guard body.count == header.ids.count * header.dimension * 4 else {
            throw IndexerError.badInput("\(body.count) bytes of vectors, expected \(header.ids.count) × \(header.dimension) × 4 (truncated?)", path: path)
        }
        var vectors = [Float](repeating: 0, count: header.ids.count * header.dimension)
        body.withUnsafeBytes { raw in
            for i in vectors.indices { vectors[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
        }
        return QueryVectors(model: header.model, dimension: header.dimension, queries: header.queries, ids: header.ids, vectors: vectors)
    }

    /// Refuses vectors from another model, dimension or query set than this search's.
    public func check(model: String, dimension: Int, queries digest: String, ids expected: [String], path: String) throws {
        guard model == self.model else {
            throw IndexerError(
                .mismatch, "the query vectors come from model '\(self.model)', the index was built with '\(model)'; write them again with the index's model",
                path: path)
        }
        guard dimension == self.dimension else {
            throw IndexerError(.mismatch, "the query vectors have \(self.dimension) components, the index \(dimension)", path: path)
        }
        guard digest == queries, expected == ids else {
            throw IndexerError.badInput(
                "the query vectors were written for another query file (or qrels filter) than this search's; write them again with the same --queries and --qrels",
                path: path)
        }
    }
}
