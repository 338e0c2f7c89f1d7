import Foundation

/// An immutable hash map from byte strings to token ids, looked up without building a String.
///
/// Open addressing with linear probing over a power-of-two slot array at most half full; keys
/// live back to back in one byte array. Lookups take a pointer and a length so that WordPiece
/// can probe every candidate substring of a word in place.
final class ByteStringTable: @unchecked Sendable {
    // Immutable after init, so sharing between threads is safe; raw storage so that a lookup
    // is pointer arithmetic without reference counting.
    private struct Entry { var hash: UInt32; var start: Int32; var length: Int32; var value: Int32 }
    private let slots: UnsafeMutableBufferPointer<Int32>  // entry index, or -1 for empty
    private let entries: UnsafeMutableBufferPointer<Entry>
    private let keyBytes: UnsafeMutableBufferPointer<UInt8>
    private let mask: Int
    /// The longest key in bytes; longer candidates need no probe.
    let maxKeyLength: Int
    /// The number of keys.
    var count: Int { entries.count }

    /// Builds the table; when a key repeats, the last value wins (as a later vocab line does).
    init<S: Sequence>(_ pairs: S) where S.Element == ([UInt8], Int32) {
        var entries: [Entry] = []
        var bytes: [UInt8] = []
        var maxLength = 0
        var capacity = 16
        var slots = [Int32](repeating: -1, count: capacity)
        var mask = capacity - 1

        for (key, value) in pairs {
            let h = key.withUnsafeBufferPointer { ByteStringTable.hash($0.baseAddress, $0.count) }
            // Replace an existing key's value in place.
            var i = Int(h) & mask
            var replaced = false
            while slots[i] >= 0 {
                let e = Int(slots[i])
                let start = Int(entries[e].start)
                if entries[e].hash == h && Int(entries[e].length) == key.count
                    && bytes[start..<start + key.count].elementsEqual(key)
                {
                    entries[e].value = value
                    replaced = true
                    break
                }
                i = (i + 1) & mask
            }
            if replaced { continue }
            entries.append(Entry(hash: h, start: Int32(bytes.count), length: Int32(key.count), value: value))
            bytes.append(contentsOf: key)
            maxLength = max(maxLength, key.count)
            if entries.count * 2 > capacity {
                capacity *= 2
                mask = capacity - 1
                slots = [Int32](repeating: -1, count: capacity)
                for (e, entry) in entries.enumerated() {
                    var j = Int(entry.hash) & mask
                    while slots[j] >= 0 { j = (j + 1) & mask }
                    slots[j] = Int32(e)
                }
            } else {
                slots[i] = Int32(entries.count - 1)
            }
        }
        self.slots = .allocate(capacity: slots.count)
        _ = self.slots.initialize(from: slots)
        self.entries = .allocate(capacity: entries.count)
        _ = self.entries.initialize(from: entries)
        // One spare byte so that the base address exists even with no keys.
        self.keyBytes = .allocate(capacity: bytes.count + 1)
        _ = self.keyBytes.initialize(from: bytes + [0])
        self.mask = mask
        self.maxKeyLength = maxLength
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
        keyBytes.deallocate()
    }

    /// FNV-1a over the bytes, folded so that the low bits (the slot index) mix well.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>?, _ n: Int) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        guard let p else { return h }
        for i in 0..<n { h = (h ^ UInt32(p[i])) &* 16_777_619 }
        return h ^ (h >> 15)
    }

    /// The value stored for the `n` bytes at `p`, or nil.
    @inline(__always)
    func value(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        if n > maxKeyLength { return nil }
        let h = ByteStringTable.hash(p, n)
        var i = Int(h) & mask
        while true {
            let e = Int(slots[i])
            if e < 0 { return nil }
            let entry = entries[e]
            if entry.hash == h && Int(entry.length) == n
                && (n == 0 || memcmp(keyBytes.baseAddress! + Int(entry.start), p, n) == 0)
            {
                return entry.value
            }
            i = (i + 1) & mask
        }
    }

    /// The value stored for `key`, or nil.
    func value(_ key: [UInt8]) -> Int32? {
        if key.isEmpty {
            var zero: UInt8 = 0
            return withUnsafePointer(to: &zero) { value($0, 0) }
        }
        return key.withUnsafeBufferPointer { value($0.baseAddress!, $0.count) }
    }
}
