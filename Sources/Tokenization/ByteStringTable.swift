import Foundation

/// An immutable hash map from byte strings to token ids, looked up without building a String.
///
/// Open addressing with linear probing over a power-of-two slot array at most half full; keys
/// live back to back in one byte array. Lookups take a pointer and a length so that WordPiece
/// can probe every candidate substring of a word in place.
struct ByteStringTable: Sendable {
    private let slots: [Int32]          // entry index, or -1 for empty
    private let entryHash: [UInt32]
    private let entryStart: [Int32]
    private let entryLength: [Int32]
    private let entryValue: [Int32]
    private let keyBytes: [UInt8]
    private let mask: Int
    /// The longest key in bytes; longer candidates need no probe.
    let maxKeyLength: Int
    /// The number of keys.
    var count: Int { entryValue.count }

    /// Builds the table; when a key repeats, the last value wins (as a later vocab line does).
    init<S: Sequence>(_ pairs: S) where S.Element == ([UInt8], Int32) {
        var hashes: [UInt32] = [], starts: [Int32] = [], lengths: [Int32] = [], values: [Int32] = []
        var bytes: [UInt8] = []
        var maxLength = 0
        var capacity = 16
        var slots = [Int32](repeating: -1, count: capacity)
        var mask = capacity - 1

        func insert(entry: Int, into slots: inout [Int32], mask: Int) {
            var i = Int(hashes[entry]) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(entry)
        }

        for (key, value) in pairs {
            let h = key.withUnsafeBufferPointer { ByteStringTable.hash($0.baseAddress, $0.count) }
            // Replace an existing key's value in place.
            var i = Int(h) & mask
            var replaced = false
            while slots[i] >= 0 {
                let e = Int(slots[i])
                if hashes[e] == h && Int(lengths[e]) == key.count
                    && bytes[Int(starts[e])..<Int(starts[e]) + key.count].elementsEqual(key) {
                    values[e] = value
                    replaced = true
                    break
                }
                i = (i + 1) & mask
            }
            if replaced { continue }
            hashes.append(h)
            starts.append(Int32(bytes.count))
            lengths.append(Int32(key.count))
            values.append(value)
            bytes.append(contentsOf: key)
            maxLength = max(maxLength, key.count)
            if values.count * 2 > capacity {
                capacity *= 2
                mask = capacity - 1
                slots = [Int32](repeating: -1, count: capacity)
                for e in 0..<values.count { insert(entry: e, into: &slots, mask: mask) }
            } else {
                slots[i] = Int32(values.count - 1)
            }
        }
        self.slots = slots
        self.entryHash = hashes
        self.entryStart = starts
        self.entryLength = lengths
        self.entryValue = values
        self.keyBytes = bytes
        self.mask = mask
        self.maxKeyLength = maxLength
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
        return slots.withUnsafeBufferPointer { slots in
            entryHash.withUnsafeBufferPointer { hashes in
                var i = Int(h) & mask
                while true {
                    let e = Int(slots[i])
                    if e < 0 { return nil }
                    if hashes[e] == h && Int(entryLength[e]) == n {
                        let start = Int(entryStart[e])
                        let equal = n == 0 || keyBytes.withUnsafeBufferPointer { k in
                            memcmp(k.baseAddress! + start, p, n) == 0
                        }
                        if equal { return entryValue[e] }
                    }
                    i = (i + 1) & mask
                }
            }
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
