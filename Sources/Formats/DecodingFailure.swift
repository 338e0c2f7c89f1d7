import Foundation

/// A `Decodable` failure told the way a person reads a file: which field, what was wrong.
///
/// Foundation's own text (`DecodingError.typeMismatch(...)`, `Debug description: ...`) is for
/// programmers; this names the key path (`shards[0].documents`) and the expectation.
public enum DecodingFailure {
    /// One line: `field 'a.b[2]': expected a number` and the like.
    public static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        switch e {
        case .typeMismatch(let type, let context):
            return "\(field(context.codingPath))expected \(name(of: type))"
        case .valueNotFound(let type, let context):
            return "\(field(context.codingPath))expected \(name(of: type)), found null"
        case .keyNotFound(let key, let context):
            return "missing field '\(path(context.codingPath + [key]))'"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                return "not valid JSON" + (underlying.map { " (\($0))" } ?? "")
            }
            return "\(field(context.codingPath))\(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func field(_ codingPath: [CodingKey]) -> String {
        codingPath.isEmpty ? "" : "field '\(path(codingPath))': "
    }

    static func path(_ codingPath: [CodingKey]) -> String {
        var s = ""
        for key in codingPath {
            if let i = key.intValue { s += "[\(i)]" } else { s += s.isEmpty ? key.stringValue : "." + key.stringValue }
        }
        return s
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt64.Type: return "a whole number (in range)"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default:
            let t = "\(type)"
            if t.hasPrefix("Array") { return "a list" }
            if t.hasPrefix("Dictionary") { return "an object" }
            return "a value of type \(t)"
        }
    }
}
