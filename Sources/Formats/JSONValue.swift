import Foundation

/// A JSON value with ordered keys, written deterministically (same value, same bytes).
///
/// Foundation's serializer does not promise key order or number spelling across platforms;
/// reports are diffed and committed, so we write JSON ourselves.
public indirect enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case int(Int)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

    /// The text, indented by two spaces a level, keys in the given order, ending without newline.
    public func rendered(indent: Int = 0) -> String {
        var out = ""
        write(to: &out, indent: indent)
        return out
    }

    private func write(to out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch self {
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (k, v)) in pairs.enumerated() {
                out += pad + JSONValue.quote(k) + ": "
                v.write(to: &out, indent: indent + 1)
                out += i + 1 < pairs.count ? ",\n" : "\n"
            }
            out += close + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            let scalars = items.allSatisfy {
                if case .object = $0 { return false }; if case .array = $0 { return false }; return true
            }
            if scalars {
                out += "[" + items.map { $0.rendered() }.joined(separator: ", ") + "]"
                return
            }
            out += "[\n"
            for (i, v) in items.enumerated() {
                out += pad
                v.write(to: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += close + "]"
        case .string(let s): out += JSONValue.quote(s)
        case .number(let d): out += d.isFinite ? JSONValue.number(d) : "null"
        case .int(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// Shortest round-trip decimal; integral values without a fraction part are written `1.0`.
    static func number(_ d: Double) -> String {
        if d == 0 { return "0.0" }
        var s = d.description
        if s.contains("e") {
            // JSON allows exponents, but keep Swift's "1e-05" form valid JSON: it already is.
            s = s.replacingOccurrences(of: "e+", with: "e")
        }
        return s
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
