import Foundation

/// Messages for people go to standard error; standard output carries results only.
public enum Console {
    /// Prints `indexer: error: MESSAGE` to standard error.
    public static func error(_ message: String) {
        write("indexer: error: \(message)\n")
    }

    /// Prints `indexer: warning: MESSAGE` to standard error.
    public static func warning(_ message: String) {
        write("indexer: warning: \(message)\n")
        EventLog.record("warning", ["message": message])
    }

    /// Prints a plain line to standard error.
    public static func info(_ message: String) {
        write(message + "\n")
    }

    /// Writes raw text to standard error.
    public static func write(_ text: String) {
        // A message that cannot be written has nowhere else to go: ignore the error.
        Array(text.utf8).withUnsafeBytes { try? FileDescriptor.writeAll(2, $0, path: "standard error") }
    }

    /// Whether standard error is a terminal (live progress bars) or a log (plain lines).
    public static var isTerminal: Bool { isatty(2) != 0 }
}
