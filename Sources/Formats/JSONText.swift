import Foundation

/// Where JSON is written: Foundation's encoder and serialiser with sorted keys, so one value
/// always gives the same bytes; ``JSONValue`` for documents whose key order is part of their
/// format (reports, `indexer eval --json`).
public enum JSONText {
    /// Indented, one key a line (files people read), or on one line (JSON lines, caches).
    public enum Layout: Sendable {
        case pretty
        case compact
    }

    /// `value` as JSON with sorted keys; `escapingSlashes: false` writes `/` as is (paths).
    public static func encode<T: Encodable>(_ value: T, layout: Layout, escapingSlashes: Bool = true) throws -> Data {
        let e = JSONEncoder()
        var f: JSONEncoder.OutputFormatting = [.sortedKeys]
        if layout == .pretty { f.insert(.prettyPrinted) }
        if !escapingSlashes { f.insert(.withoutEscapingSlashes) }
        e.outputFormatting = f
        return try e.encode(value)
    }

    /// A JSON object or array of Foundation values (dictionaries, arrays, strings, numbers),
    /// with sorted keys.
    public static func serialize(_ object: Any, layout: Layout) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: layout == .pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys])
    }
}
