import Formats

/// The checks of a shard's section table and block directories that opening runs: every
/// section inside the file and present once, every directory checksummed, contiguous and
/// covering its section exactly.
extension ShardReader {
    /// The sections by kind; refuses one outside the file, a repeated one, and an unknown one
    /// flagged as required.
    static func sectionsByKind(_ sections: [SectionEntry], headerLength: Int, fileSize: Int, path: String) throws -> [UInt32: SectionEntry] {
        var byKind: [UInt32: SectionEntry] = [:]
        for s in sections {
            guard s.offset >= headerLength, s.length >= 0, s.offset <= fileSize - ShardFormat.trailerLength - s.length else {
                throw IndexerError(.corrupt, "section \(s.kind) lies outside the file", path: path)
            }
            guard byKind[s.kind] == nil else { throw IndexerError(.corrupt, "section \(s.kind) appears twice", path: path) }
            if SectionKind(rawValue: s.kind) == nil && s.flags & SectionEntry.requiredFlag != 0 {
                throw IndexerError(.mismatch, "shard needs section kind \(s.kind), which this indexer does not know; use a newer indexer", path: path)
            }
            byKind[s.kind] = s
        }
        return byKind
    }

    /// The entries of the block directory `dir` over section `b`: rows numbered from 0 without
    /// gaps up to `rows`, blocks back to back over the whole section; with `fixedRows` (rows a
    /// block, bytes a row) each block's raw size is checked too.
    static func blockDirectory(
        _ data: UnsafeRawBufferPointer, blocks b: SectionEntry, directory d: SectionEntry, name: String,
        rows count: Int, fixedRows: (rows: Int, bytesPerRow: Int)?, path: String
    ) throws -> [BlockEntry] {
        let bytes = UnsafeRawBufferPointer(rebasing: data[d.offset..<(d.offset + d.length)])
        guard CRC32C.checksum(bytes) == d.crc else { throw IndexerError(.corrupt, "\(name) checksum mismatch", path: path) }
        guard d.length % ShardFormat.blockEntryLength == 0 else { throw IndexerError(.corrupt, "\(name) has a partial entry", path: path) }
        var r = ByteSource(bytes, path: path, what: name)
        var entries: [BlockEntry] = []
        var nextRow = 0, nextOffset = b.offset
        for _ in 0..<(d.length / ShardFormat.blockEntryLength) {
            let e = try BlockEntry.decode(&r)
            guard e.firstRow == nextRow, e.rows >= 1, e.offset == nextOffset else {
                throw IndexerError(.corrupt, "\(name) is not contiguous at row \(nextRow)", path: path)
            }
            if let fixed = fixedRows {
                guard e.rawLength == e.rows * fixed.bytesPerRow, e.rows <= fixed.rows else {
                    throw IndexerError(.corrupt, "\(name) entry at row \(nextRow) has a wrong size", path: path)
                }
            }
            nextRow += e.rows
            nextOffset += e.storedLength
            entries.append(e)
        }
        guard nextRow == count, nextOffset == b.offset + b.length else {
            throw IndexerError(.corrupt, "\(name) covers \(nextRow) rows, the header says \(count)", path: path)
        }
        return entries
    }

    /// The lexical index's block directory, or none when the shard has no lexical section;
    /// a section without its directory (or the reverse) is corrupt.
    static func lexicalDirectory(_ data: UnsafeRawBufferPointer, byKind: [UInt32: SectionEntry], path: String) throws -> [BlockEntry] {
        guard let lb = byKind[SectionKind.lexicalBlocks.rawValue] else {
            guard byKind[SectionKind.lexicalDirectory.rawValue] == nil else {
                throw IndexerError(.corrupt, "lexical directory without its section", path: path)
            }
            return []
        }
        guard let ld = byKind[SectionKind.lexicalDirectory.rawValue] else {
            throw IndexerError(.corrupt, "lexical section without its directory", path: path)
        }
        let bytes = UnsafeRawBufferPointer(rebasing: data[ld.offset..<(ld.offset + ld.length)])
        guard CRC32C.checksum(bytes) == ld.crc else { throw IndexerError(.corrupt, "lexical-directory checksum mismatch", path: path) }
        guard ld.length % ShardFormat.blockEntryLength == 0 else { throw IndexerError(.corrupt, "lexical-directory has a partial entry", path: path) }
        var r = ByteSource(bytes, path: path, what: "lexical-directory")
        var entries: [BlockEntry] = []
        var nextOffset = lb.offset
        for k in 0..<(ld.length / ShardFormat.blockEntryLength) {
            let e = try BlockEntry.decode(&r)
            guard e.firstRow == k, e.offset == nextOffset else {
                throw IndexerError(.corrupt, "lexical-directory is not contiguous at block \(k)", path: path)
            }
            nextOffset += e.storedLength
            entries.append(e)
        }
        guard nextOffset == lb.offset + lb.length else {
            throw IndexerError(.corrupt, "lexical-directory does not cover the lexical section", path: path)
        }
        return entries
    }
}
