import Foundation

/// An error a user can act on: what went wrong, where (file, line or record), and why.
///
/// Every module throws this one type so that the command layer maps failures to exit codes
/// in one place (``IndexerError/Kind/exitCode``).
public struct IndexerError: Error, Sendable {
    /// The class of failure, which decides the process exit code.
    public enum Kind: String, Sendable {
        /// The command line is wrong (unknown flag, missing value).
        case usage
        /// An input file is malformed: a bad line, a missing field, invalid UTF-8.
        case badInput
        /// A file cannot be opened, read, written or renamed.
        case io
        /// A file the tool wrote earlier fails a check: checksum, magic, truncation.
        case corrupt
        /// A model folder is missing, incomplete or inconsistent.
        case model
        /// A quality gate set by the user was not met.
        case gateFailed
        /// Two inputs that must agree do not (an index built with another model, say).
        case mismatch
        /// A bug: an invariant of the tool itself does not hold.
        case `internal`

        /// The process exit code: 2 for usage or bad input, 3 for a failed gate, 1 otherwise.
        public var exitCode: Int32 {
            switch self {
            case .usage, .badInput: return 2
            case .gateFailed: return 3
            case .io, .corrupt, .model, .mismatch, .internal: return 1
            }
        }
    }

    public var kind: Kind
    public var message: String
    /// The file the error is about, when there is one.
    public var path: String?
    /// The 1-based line (or record) in `path`, when there is one.
    public var line: Int?
    /// The underlying cause, e.g. an `errno` description.
    public var cause: String?

    public init(_ kind: Kind, _ message: String, path: String? = nil, line: Int? = nil, cause: String? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
        self.line = line
        self.cause = cause
    }

    /// A bad-input error at `path:line`.
    public static func badInput(_ message: String, path: String?, line: Int? = nil) -> IndexerError {
        IndexerError(.badInput, message, path: path, line: line)
    }

    /// An I/O error carrying the current `errno` as its cause.
    public static func io(_ message: String, path: String?, errno code: Int32 = errno) -> IndexerError {
        IndexerError(.io, message, path: path, cause: String(cString: strerror(code)))
    }
}

extension IndexerError: CustomStringConvertible {
    /// `path:line: message (cause)`, the shape compilers use, so editors can jump to it.
    public var description: String {
        var s = ""
        if let path {
            s += path
            if let line { s += ":\(line)" }
            s += ": "
        }
        s += message
        if let cause { s += " (\(cause))" }
        return s
    }
}

extension IndexerError: LocalizedError {
    public var errorDescription: String? { description }
}
