import Foundation
import XCTest

/// A fresh, empty folder under the system's temporary directory, removed on `remove()` or
/// when the last reference goes away; the one temporary-folder fixture of every test target.
public final class TemporaryFolder: @unchecked Sendable {
    /// The folder's path (no trailing slash).
    public let path: String

    /// The folder as a file URL.
    public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    /// Creates `parent/label-UUID/`, `parent` being `TMPDIR` unless a test needs another place
    /// (the label says which test left a folder behind after a crash).
    public init(_ label: String = "indexer-tests", in parent: String = NSTemporaryDirectory()) throws {
        path = (parent as NSString).appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { remove() }

    /// The path of `name` inside the folder (`name` may hold sub-folders; none is created).
    public func path(_ name: String) -> String { path + "/" + name }

    /// Writes `text` as UTF-8 to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ text: String, to name: String) throws -> String {
        try write(Data(text.utf8), to: name)
    }

    /// Writes `data` to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ data: Data, to name: String) throws -> String {
        let file = path(name)
        try data.write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Removes the folder and everything in it; removing twice is harmless.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension XCTestCase {
    /// A fresh temporary folder removed when the current test ends (its teardown).
    public func temporaryFolder(_ label: String = "indexer-tests", in parent: String = NSTemporaryDirectory()) throws -> TemporaryFolder {
        let folder = try TemporaryFolder(label, in: parent)
        addTeardownBlock { folder.remove() }
        return folder
    }
}
