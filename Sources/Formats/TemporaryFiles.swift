import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Temporary files of writers: locked while their writer lives, removed when abandoned.
///
/// A writer holds an exclusive `flock` on its temporary file; the kernel drops it when the
/// process dies, even by SIGKILL. A later writer of the same output removes every temporary
/// file it can lock whose writer is gone, so a killed run leaves nothing behind for good, and
/// a live writer's file (on this machine or, over a shared file system, another) is never
/// touched.
public enum TemporaryFiles {
    /// Takes the writer's lock on its own freshly created temporary file.
    public static func markLive(_ fd: Int32) {
        _ = flock(fd, LOCK_EX | LOCK_NB)
    }

    /// Removes the abandoned files named `PREFIX…` in `folder`; returns how many.
    @discardableResult
    public static func removeAbandoned(in folder: String, prefix: String) -> Int {
        guard let dir = opendir(folder) else { return 0 }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name.hasPrefix(prefix) { names.append(name) }
        }
        closedir(dir)
        var removed = 0
        for name in names where isAbandoned(folder + "/" + name, pidText: String(name.dropFirst(prefix.count))) {
            if unlink(folder + "/" + name) == 0 { removed += 1 }
        }
        return removed
    }

    /// Lockable (no writer holds it) and not made by a live process of this machine (which may
    /// not have taken its lock yet).
    static func isAbandoned(_ path: String, pidText: String) -> Bool {
        if let pid = Int32(pidText.prefix(while: { $0.isNumber })), kill(pid, 0) == 0 || errno == EPERM {
            var st = stat()
            // A file of a live pid that is old is another machine's or a reused pid's.
            guard stat(path, &st) == 0, time(nil) - st.st_mtim.tv_sec > 60 else { return false }
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_EX | LOCK_NB) == 0
    }
}

/// An exclusive advisory lock on a file, held until ``release()`` or the process ends.
///
/// Used so that two processes never build the same shard or write the same manifest at once
/// (`flock` is released by the kernel even when the holder is killed). The lock file is
/// removed on release, so a finished folder holds none; a waiter that then finds its file
/// unlinked or replaced retries on the new one (the usual lock-then-check-inode rule).
public final class FileLock {
    /// The lock file.
    public let path: String
    private var fd: Int32 = -1

    /// Takes the lock on `path` (created if missing), waiting for another holder; `waiting`
    /// is called once if it must wait.
    public init(path: String, waiting: (() -> Void)? = nil) throws {
        self.path = path
        var told = false
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw IndexerError.io("cannot create the lock file", path: path) }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK else {
                    let e = errno
                    close(fd)
                    throw IndexerError.io("cannot lock", path: path, errno: e)
                }
                if !told { waiting?(); told = true }
                while flock(fd, LOCK_EX) != 0 {
                    guard errno == EINTR else {
                        let e = errno
                        close(fd)
                        throw IndexerError.io("cannot lock", path: path, errno: e)
                    }
                }
            }
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, stat(path, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                self.fd = fd
                return
            }
            close(fd)  // the holder removed the file as we waited: lock the current one
        }
    }

    deinit { release() }

    /// Removes the lock file and releases the lock.
    public func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
    }
}
