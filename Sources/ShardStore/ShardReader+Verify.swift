import Formats

/// Stored and raw bytes of one kind of section, for `indexer inspect`.
public struct SectionStats: Sendable, Equatable {
    /// The section's name ("vectors", "ids", "texts", "directories", "id-lookup", "header+footer").
    public var name: String
    /// Bytes on disk.
    public var storedBytes: Int
    /// Bytes before compression.
    public var rawBytes: Int
    /// Blocks (0 for unblocked sections).
    public var blocks: Int
}

extension ShardReader {
    /// Checks every checksum of the shard and decodes every block; returns the faults found.
    ///
    /// Opening the reader already checked header, footer, directories and id lookup. This
    /// adds: each data section's checksum, each block's checksum, that each block decodes to
    /// its recorded size, that ids and texts are valid UTF-8, and that the id lookup maps
    /// every id to its own row.
    public func verify() -> [IndexerError] {
        var faults: [IndexerError] = []
        for s in sections where [SectionKind.vectorBlocks, .idBlocks, .textBlocks, .lexicalBlocks].contains(SectionKind(rawValue: s.kind)) {
            if sectionChecksum(s) != s.crc {
                faults.append(IndexerError(.corrupt, "\(SectionKind(rawValue: s.kind)!) section checksum mismatch", path: path))
            }
        }
        for b in vectorBlocks.indices {
            do { _ = try rawBlock(vectorBlocks[b], what: "vector", release: true) } catch let e as IndexerError { faults.append(e) } catch {}
        }
        // Lexical blocks: checksum and decompression here; their structure is checked by the
        // Lexical module (`LexicalShardIndex.verify`), which `indexer verify` also runs.
        for b in lexicalBlocks.indices {
            do { _ = try lexicalBlock(b) } catch let e as IndexerError { faults.append(e) } catch {}
        }
        // 8 bytes a document (the keys of the ids), not the ids themselves.
        var rowKeys: [UInt64] = []
        rowKeys.reserveCapacity(count)
        var firstMisplaced: String?
        var idsOK = true
        for (entries, what) in [(idBlocks, "id"), (textBlocks, "text")] {
            for b in entries.indices {
                do {
                    let s = try stringBlock(entries, b, what: what, release: true)
                    for i in 0..<s.rows {
                        let str = try s.string(i)
                        if what == "id" {
                            let k = DocumentKey.key(str)
                            rowKeys.append(k)
                            if firstMisplaced == nil && Int(k % UInt64(header.settings.shardCount)) != header.settings.shardIndex {
                                firstMisplaced = str
                            }
                        }
                    }
                } catch let e as IndexerError {
                    faults.append(e)
                    if what == "id" { idsOK = false }
                } catch {}
            }
        }
        if idsOK { faults += lookupFaults(rowKeys: rowKeys, firstMisplaced: firstMisplaced) }
        return faults
    }

    /// The id lookup checked against the ids read (`rowKeys`, by row), and the first id that
    /// belongs to another shard; the faults found.
    func lookupFaults(rowKeys: [UInt64], firstMisplaced: String?) -> [IndexerError] {
        var faults: [IndexerError] = []
        var seen = [Bool](repeating: false, count: count)
        var previous: UInt64 = 0
        for i in 0..<count {
            let (key, row) = lookupEntry(i)
            if row >= count || seen[row] || key < previous || rowKeys[row] != key {
                faults.append(IndexerError(.corrupt, "id lookup entry \(i) is wrong", path: path))
                break
            }
            seen[row] = true
            previous = key
        }
        if let l = sections.first(where: { $0.kind == SectionKind.idLookup.rawValue }) { release(l.offset..<(l.offset + l.length)) }
        if let id = firstMisplaced {
            faults.append(
                IndexerError(
                    .corrupt, "document '\(id)' does not belong to shard \(header.settings.shardIndex) of \(header.settings.shardCount)", path: path))
        }
        return faults
    }

    /// Stored and raw sizes per kind of section.
    public func sectionStats() -> [SectionStats] {
        func blocks(_ name: String, _ entries: [BlockEntry]) -> SectionStats {
            SectionStats(
                name: name, storedBytes: entries.reduce(0) { $0 + $1.storedLength },
                rawBytes: entries.reduce(0) { $0 + $1.rawLength }, blocks: entries.count)
        }
        var out = [blocks("vectors", vectorBlocks), blocks("ids", idBlocks), blocks("texts", textBlocks)]
        if !lexicalBlocks.isEmpty { out.append(blocks("lexical", lexicalBlocks)) }
        var dirs = 0, lookupBytes = 0, other = 0
        for s in sections {
            switch SectionKind(rawValue: s.kind) {
            case .vectorDirectory?, .idDirectory?, .textDirectory?, .lexicalDirectory?: dirs += s.length
            case .idLookup?: lookupBytes += s.length
            case .vectorBlocks?, .idBlocks?, .textBlocks?, .lexicalBlocks?: break
            case nil: other += s.length
            }
        }
        out.append(SectionStats(name: "directories", storedBytes: dirs, rawBytes: dirs, blocks: 0))
        out.append(SectionStats(name: "id-lookup", storedBytes: lookupBytes, rawBytes: lookupBytes, blocks: 0))
        if other > 0 { out.append(SectionStats(name: "other", storedBytes: other, rawBytes: other, blocks: 0)) }
        let framing = fileSize - out.reduce(0) { $0 + $1.storedBytes }
        out.append(SectionStats(name: "header+footer", storedBytes: framing, rawBytes: framing, blocks: 0))
        return out
    }
}
