#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocks until something changes in one directory, with inotify where it exists and a sleep
/// otherwise. Waits never last more than ``fallbackMilliseconds``, so that changes inotify cannot
/// report (network file systems, a symlink to a file in another directory) are still noticed.
final class DirectoryWatcher {
    /// The longest a wait blocks, and the polling period without inotify.
    static let fallbackMilliseconds: Int32 = 1000

    private let directory: String
    /// The inotify descriptor, or -1 when inotify is unavailable.
    private let notifier: Int32
    /// The watch on `directory`, or -1 when it is not watched (it does not exist right now).
    private var watch: Int32 = -1

    /// Watches the directory that holds `path`.
    init(watchingParentOf path: String) {
        directory = DirectoryWatcher.parent(of: path)
        #if canImport(Glibc)
        notifier = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        #else
        notifier = -1
        #endif
        addWatch()
    }

    deinit {
        if notifier >= 0 { close(notifier) }
    }

    /// Whether changes are reported by inotify (otherwise waits are plain sleeps).
    var isNotified: Bool { notifier >= 0 && watch >= 0 }

    /// Blocks until the directory changes or `timeoutMilliseconds` (capped at 1 s; negative means
    /// the cap) pass, then forgets the changes seen: the caller re-reads the file after this.
    func wait(timeoutMilliseconds: Int32) {
        let timeout = timeoutMilliseconds < 0
            ? DirectoryWatcher.fallbackMilliseconds
            : min(timeoutMilliseconds, DirectoryWatcher.fallbackMilliseconds)
        if watch < 0 { addWatch() }
        var descriptor = pollfd(fd: isNotified ? notifier : -1, events: Int16(POLLIN), revents: 0)
        // With fd -1, poll(2) ignores the entry and just sleeps.
        _ = poll(&descriptor, 1, timeout)
        if descriptor.revents & Int16(POLLIN) != 0 { drainEvents() }
    }

    private func addWatch() {
        #if canImport(Glibc)
        guard notifier >= 0 else { return }
        let mask = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE
            | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF
        watch = directory.withCString { inotify_add_watch(notifier, $0, UInt32(mask)) }
        #endif
    }

    /// Reads and discards the queued events; notices when the watch itself went away (the
    /// directory was deleted or moved), so that the next wait tries to watch it again.
    private func drainEvents() {
        #if canImport(Glibc)
        let headerSize = MemoryLayout<inotify_event>.size
        withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 8) { buffer in
            while true {
                let count = read(notifier, buffer.baseAddress, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return }
                var position = 0
                while position + headerSize <= count {
                    let mask = buffer.load(fromByteOffset: position + 4, as: UInt32.self)
                    let nameLength = buffer.load(fromByteOffset: position + 12, as: UInt32.self)
                    if mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                        if watch >= 0 { inotify_rm_watch(notifier, watch) }
                        watch = -1
                    }
                    position += headerSize + Int(nameLength)
                }
            }
        }
        #endif
    }

    /// The directory part of a path: `.` for a bare name, `/` for a file at the root.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = path[..<slash]
        return head.isEmpty ? "/" : String(head)
    }
}
