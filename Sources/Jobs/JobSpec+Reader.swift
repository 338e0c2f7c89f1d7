import Formats
import Foundation

/// Typed, key-naming access to one JSON object of a job file.
struct Reader {
    let object: [String: Any]
    let file: String
    let prefix: String
    let cliPaths: Set<String>

    init(_ object: [String: Any], file: String, prefix: String, cliPaths: Set<String>) {
        self.object = object
        self.file = file
        self.prefix = prefix
        self.cliPaths = cliPaths
    }

    var keys: [String] { Array(object.keys) }

    func name(_ key: String) -> String { prefix + key }

    func fail(_ key: String, _ what: String) -> IndexerError {
        IndexerError.badInput("\(name(key)): \(what)", path: file)
    }

    func refuseUnknown(_ known: [String]) throws {
        for k in object.keys.sorted() where !known.contains(k) {
            throw IndexerError.badInput("unknown key \"\(name(k))\" (known here: \(known.joined(separator: ", ")))", path: file)
        }
    }

    func isNull(_ key: String) -> Bool { object[key] is NSNull }
    func isFalse(_ key: String) -> Bool {
        guard let v = object[key] as? NSNumber, isBool(v) else { return false }
        return !v.boolValue
    }

    private func isBool(_ v: Any) -> Bool {
        guard let n = v as? NSNumber else { return false }
        // JSONSerialization gives booleans the Objective-C type "c" (char); numbers never are.
        return String(cString: n.objCType) == "c"
    }

    func object(_ key: String) throws -> Reader {
        guard let v = object[key], !(v is NSNull) else {
            return Reader([:], file: file, prefix: name(key) + ".", cliPaths: cliPaths)
        }
        guard let o = v as? [String: Any] else { throw fail(key, "must be an object") }
        return Reader(o, file: file, prefix: name(key) + ".", cliPaths: cliPaths)
    }

    func string(_ key: String, default fallback: String? = nil) throws -> String {
        guard let v = object[key], !(v is NSNull) else {
            if let fallback { return fallback }
            throw fail(key, "is required")
        }
        guard let s = v as? String else { throw fail(key, "must be a string") }
        return s
    }

    /// A path: relative to the job file's folder, or to the current folder when given with --set.
    func path(_ key: String, relativeTo dir: String, default fallback: String? = nil) throws -> String {
        let s = try string(key, default: fallback)
        guard !s.isEmpty else { throw fail(key, "must not be empty") }
        if s.hasPrefix("/") { return s }
        let base = cliPaths.contains(name(key)) ? FileManager.default.currentDirectoryPath : dir
        return URL(fileURLWithPath: base).appendingPathComponent(s).standardizedFileURL.path
    }

    /// A model: `hf:ORG/NAME[@REV]` as written, else a path.
    func modelPath(_ key: String, relativeTo dir: String, default fallback: String? = nil) throws -> String {
        if let s = object[key] as? String, s.hasPrefix("hf:") { return s }
        return try path(key, relativeTo: dir, default: fallback)
    }

    /// A string that may be absent (nil); "" is a value.
    func optionalString(_ key: String) throws -> String? {
        guard let v = object[key], !(v is NSNull) else { return nil }
        guard let s = v as? String else { throw fail(key, "must be a string") }
        return s
    }

    func optionalPath(_ key: String, relativeTo dir: String) throws -> String? {
        guard let v = object[key], !(v is NSNull) else { return nil }
        _ = v
        return try path(key, relativeTo: dir)
    }

    func int(_ key: String, default fallback: Int, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        try optionalInt(key, in: range) ?? fallback
    }

    func optionalInt(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        guard let v = object[key], !(v is NSNull) else { return nil }
        guard let n = v as? NSNumber, !isBool(n), let i = Int(exactly: n.doubleValue) else {
            throw fail(key, "must be a whole number")
        }
        guard range.contains(i) else { throw fail(key, "\(i) is outside \(range.lowerBound)...\(range.upperBound)") }
        return i
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard let v = object[key], !(v is NSNull) else { return nil }
        guard let n = v as? NSNumber, !isBool(n), n.doubleValue.isFinite else { throw fail(key, "must be a number") }
        return n.doubleValue
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let v = object[key], !(v is NSNull) else { return fallback }
        guard let n = v as? NSNumber, isBool(n) else { throw fail(key, "must be true or false") }
        return n.boolValue
    }

    func choice(_ key: String, _ choices: [String], default fallback: String) throws -> String {
        let s = try string(key, default: fallback)
        guard choices.contains(s) else { throw fail(key, "'\(s)' is not one of \(choices.joined(separator: ", "))") }
        return s
    }

    /// One of `choices`, named by `name` in the file: parsed here, once, so that no later step
    /// re-reads a string with a silent fallback.
    func choice<T>(_ key: String, _ choices: [T], default fallback: T, name: (T) -> String) throws -> T {
        let s = try choice(key, choices.map(name), default: name(fallback))
        return choices.first { name($0) == s }!
    }

    func stringList(_ key: String, default fallback: [String]) throws -> [String] {
        guard let v = object[key], !(v is NSNull) else { return fallback }
        if let s = v as? String {
            return s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard let a = v as? [Any], let strings = a as? [String], !strings.isEmpty else {
            throw fail(key, "must be a non-empty list of strings")
        }
        return strings
    }
}
