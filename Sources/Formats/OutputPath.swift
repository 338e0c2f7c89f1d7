import CSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Rules about where outputs go: links followed, folders created, inputs never overwritten.
public enum OutputPath {
    /// `path` with every symbolic link of its last component followed (the target need not
    /// exist yet), so an atomic rename replaces the file a link points to, not the link.
    public static func resolveLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var st = stat()
            guard lstat(current, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buf, buf.count - 1)
            guard n >= 0 else { throw IndexerError.io("cannot read the symbolic link", path: current) }
            let target = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(target)
        }
        throw IndexerError(.badInput, "too many levels of symbolic links", path: path)
    }

    /// The identity of an existing file (device and inode), nil when it does not exist.
    static func identity(_ path: String) -> (UInt64, UInt64)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return (UInt64(st.st_dev), UInt64(st.st_ino))
    }

    /// The absolute, link-free form of `path` as far as it exists (for not-yet-written outputs).
    static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: absolute).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// Whether `output` would write over `input`: the same existing file, or the same path.
    public static func same(_ output: String, _ input: String) -> Bool {
        if output == "-" || input == "-" { return false }
        if let a = identity(output), let b = identity(input) {
            var st = stat()
            // Devices and pipes (/dev/null, /dev/stdout) are streams, not files a run destroys.
            if stat(output, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG && (st.st_mode & S_IFMT) != S_IFDIR { return false }
            return a == b
        }
        return canonical(output) == canonical(input)
    }

    /// Refuses an output that is one of the inputs (exit 2), naming both roles.
    public static func refuseOverwriting(output: (role: String, path: String), inputs: [(role: String, path: String)]) throws {
        for input in inputs where same(output.path, input.path) {
            throw IndexerError(.badInput, "the \(output.role) would overwrite the \(input.role) '\(input.path)'; choose another output path", path: output.path)
        }
    }

    /// Whether `path` lies inside folder `folder` (or is it).
    public static func isInside(_ path: String, folder: String) -> Bool {
        let p = canonical(path), f = canonical(folder)
        return p == f || p.hasPrefix(f.hasSuffix("/") ? f : f + "/")
    }
}

/// Folder creation with the project's errors (never a Foundation dump).
public enum Folders {
    /// Creates `folder` and its parents; an existing file in the way is a bad input naming it.
    public static func create(_ folder: String, for output: String? = nil) throws {
        var st = stat()
        if stat(folder, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw IndexerError(.badInput, "is a file, not a folder\(output.map { " (needed for '\($0)')" } ?? "")", path: folder)
            }
            return
        }
        let parent = (folder as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != folder { try create(parent, for: output) }
        if mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw IndexerError.io("cannot create the folder", path: folder)
        }
    }
}

extension Folders {
    /// Puts folder `replacement` in the place of `folder`; the old folder ends up at
    /// `replacement`'s path, for the caller to delete. Atomic where the kernel can swap two
    /// paths; elsewhere two renames, the old folder kept until the new one is in place.
    public static func replace(_ folder: String, with replacement: String) throws {
        if csystem_exchange_paths(replacement, folder) == 0 { return }
        let e = errno
        guard e == EINVAL || e == ENOSYS else {
            throw IndexerError.io("cannot swap in the new folder \(replacement)", path: folder, errno: e)
        }
        let aside = replacement + ".old"
        guard rename(folder, aside) == 0 else { throw IndexerError.io("cannot move the old folder aside", path: folder) }
        guard rename(replacement, folder) == 0 else {
            let e2 = errno
            _ = rename(aside, folder)
            throw IndexerError.io("cannot move the new folder \(replacement) in place", path: folder, errno: e2)
        }
        guard rename(aside, replacement) == 0 else { throw IndexerError.io("cannot move the old folder", path: aside) }
    }

    /// Removes a folder and everything in it (errors ignored: used for our own scratch folders).
    public static func removeTree(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
