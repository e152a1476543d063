#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows a growing log file like `tail -F`: replays it from a start offset, then hands out
/// lines as they are appended, surviving truncation, rotation by rename, deletion and re-creation.
///
/// Reads use `pread(2)` into one reusable 1 MiB buffer (never `mmap`, so a truncated file cannot
/// raise `SIGBUS`); changes are awaited with inotify on the parent directory. Owned by one thread.
///
/// What happens to the file, and what the follower does (each reported as a ``FollowNotice``):
/// - **Truncated** (its size drops below what was read): start over at offset 0, line 1.
/// - **Rotated** (the path names another file): read the old file to its end first, so lines
///   appended just before the rename are not lost, then read the new file from 0. If nothing has
///   replaced the renamed file yet, keep reading the old one until something does.
/// - **Deleted**: read it to its end, then wait; when the path appears again, read it from 0.
///
/// In each case the unfinished last line of the old content (no newline yet) is discarded: that
/// file can no longer complete it. The lines of one poll all come from one file: `.truncated` and
/// `.recreated` are found before reading, so that poll's lines are from the new start; a poll
/// that reports `.rotated` or `.deleted` ends when it leaves the old file, whose last lines it
/// handed out. After any notice, ``offset`` and line numbers count in the new file.
///
/// Limits, as for `tail -F`: a truncation is noticed by size only, so a file truncated and grown
/// past the old offset between two polls goes unnoticed; and a file that is created and rotated
/// away again between two polls is never seen.
public final class FileFollower: LogSource {
    /// The followed path, as given.
    public let path: String
    private var splitter: LineSplitter
    /// The open file, or -1 while the path is deleted.
    private var descriptor: Int32
    /// The identity of the open file, `nil` while deleted.
    public private(set) var identity: FileIdentity?
    /// The size seen at the last poll, for progress.
    public private(set) var fileSize: Int64
    /// Set when, at end of file, the path named another file or nothing: the old file is read to
    /// its end once more before switching, so that writes made just before the change are kept.
    private var pathChanged = false
    private let buffer = ChunkBuffer(byteCount: defaultChunkBytes)
    private let watcher: DirectoryWatcher
    /// Runs between reaching the end of the file and looking at the path: lets a test act as a
    /// writer that appends and rotates in that instant.
    var betweenEndAndPathCheck: (() -> Void)?

    /// Opens a file to follow.
    /// - Parameters:
    ///   - path: the log file.
    ///   - startOffset: where to resume (a checkpointed ``offset``, the start of a line). If the
    ///     file is now shorter, the first poll reports ``FollowNotice/truncated`` and starts at 0.
    ///   - startLine: the number of the line at `startOffset`.
    ///   - maxLineBytes: lines longer than this are handed out as ``Line/isTooLong``.
    /// - Throws: ``IngestError`` if the file is missing, a directory, unreadable, or not a regular
    ///   file (use ``LogSources/open(path:startOffset:startLine:maxLineBytes:)`` for pipes).
    public convenience init(path: String, startOffset: Int64 = 0, startLine: Int = 1,
                            maxLineBytes: Int = 1 << 20) throws {
        let (descriptor, status) = try POSIXFile.openForReading(path, allowStreams: false)
        self.init(path: path, descriptor: descriptor, status: status,
                  startOffset: startOffset, startLine: startLine, maxLineBytes: maxLineBytes)
    }

    /// Takes over a descriptor of a regular file opened by ``POSIXFile/openForReading(_:allowStreams:)``.
    init(path: String, descriptor: Int32, status: stat, startOffset: Int64, startLine: Int,
         maxLineBytes: Int) {
        self.path = path
        self.descriptor = descriptor
        self.identity = FileIdentity(status)
        self.fileSize = Int64(status.st_size)
        self.splitter = LineSplitter(maxLineBytes: maxLineBytes, startOffset: max(startOffset, 0),
                                     startLine: startLine)
        self.watcher = DirectoryWatcher(watchingParentOf: path)
        FileFollower.adviseSequential(descriptor)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The fingerprint of the open file's first bytes, once ``LogPosition/fingerprintLimit`` of them were read.
    private var fullFingerprint: (identity: FileIdentity, hash: UInt64)?

    /// Where this follower stands, for a checkpoint: the open file, the offset of the next line and the
    /// fingerprint of the file's first bytes (read with `pread`, at most 4 KiB, once per file). Nil while
    /// the path is deleted.
    public var position: LogPosition? {
        guard let identity, descriptor >= 0 else { return nil }
        let covered = Int(min(Int64(LogPosition.fingerprintLimit), offset))
        let hash: UInt64?
        if covered == LogPosition.fingerprintLimit, let full = fullFingerprint, full.identity == identity {
            hash = full.hash
        } else {
            hash = LogPosition.fingerprint(descriptor: descriptor, count: covered)
            if covered == LogPosition.fingerprintLimit, let hash { fullFingerprint = (identity, hash) }
        }
        guard let hash else { return nil }
        return LogPosition(path: path, device: identity.device, inode: identity.inode, offset: offset,
                           line: nextLineNumber, fingerprintBytes: covered, fingerprint: hash)
    }

    /// Offset just past the last line handed out: where a resumed follower starts. It is 0 after
    /// a truncation, rotation or deletion, because reading continues at the start of the new file.
    public var offset: Int64 { splitter.offset }
    /// The line number the next line will get.
    public var nextLineNumber: Int { splitter.nextLineNumber }
    public var displayName: String { path }
    public var totalBytes: Int64? { fileSize }
    /// Always false: a followed file may always grow again.
    public var isFinished: Bool { false }
    /// Whether changes are awaited with inotify (otherwise ``wait(timeoutMilliseconds:)`` polls every second).
    public var usesInotify: Bool { watcher.isNotified }

    /// Where the next read starts: past the complete lines and the carried partial line.
    private var readOffset: Int64 { splitter.offset + Int64(splitter.pendingBytes) }

    /// Reads what is available now, up to about `maxBytes`, and hands out complete lines. Never blocks.
    /// - Parameters:
    ///   - maxBytes: the most to read in this call; more is left for the next.
    ///   - body: called once per line, in file order; the ``Line`` is valid only during the call.
    /// - Returns: bytes read, whether the end was reached, and what happened to the file.
    /// - Throws: ``IngestError`` if a read fails, or if the path reappears as something that
    ///   cannot be read (the follower keeps waiting: polling again retries).
    public func poll(maxBytes: Int = 8 << 20, _ body: (Line) -> Void) throws -> FollowStatus {
        var status = FollowStatus()
        if descriptor < 0 {
            guard try reopen() else {
                status.atEOF = true
                return status
            }
            status.notices.append(.recreated)
        }
        try checkTruncation(&status)
        while status.bytesRead < maxBytes {
            let count = try POSIXFile.readAt(descriptor, into: buffer.bytes, count: maxBytes - status.bytesRead,
                                             at: readOffset, path: path)
            if count > 0 {
                splitter.feed(UnsafeRawBufferPointer(rebasing: buffer.bytes[0..<count]), body)
                status.bytesRead += count
                continue
            }
            fileSize = max(fileSize, readOffset)
            switch try followPathAtEnd() {
            case .readAgain:
                continue
            case .upToDate:
                status.atEOF = true
            case .switched(let notice, let more):
                status.notices.append(notice)
                status.atEOF = !more
            }
            return status
        }
        fileSize = max(fileSize, readOffset)
        return status
    }

    /// Blocks until the file or its directory changes, or the timeout passes (at most 1 s, so
    /// that changes inotify cannot see are still noticed). Returns at once if unread bytes wait.
    public func wait(timeoutMilliseconds: Int32) {
        if descriptor >= 0, let status = try? POSIXFile.fileStatus(descriptor, path: path),
           Int64(status.st_size) != readOffset {
            return
        }
        watcher.wait(timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Starts over at 0 if the file shrank below what was read.
    private func checkTruncation(_ status: inout FollowStatus) throws {
        let size = Int64(try POSIXFile.fileStatus(descriptor, path: path).st_size)
        fileSize = size
        if size < readOffset {
            splitter.reset()
            status.notices.append(.truncated)
        }
    }

    /// What to do once the open file is read to its end.
    private enum EndOfFile {
        /// The path changed: read the old file once more before leaving it.
        case readAgain
        /// The path still names the open file (or nothing replaced a renamed file yet).
        case upToDate
        /// The old file was left; `more` when a new one is open and may hold lines.
        case switched(FollowNotice, more: Bool)
    }

    /// At end of file, looks at what the path names now. A poll that leaves a file ends there, so
    /// that the lines of one poll all come from one file.
    private func followPathAtEnd() throws -> EndOfFile {
        betweenEndAndPathCheck?()
        let now = POSIXFile.pathState(path)
        if case .file(let current) = now, current == identity {
            pathChanged = false
            return .upToDate
        }
        if !pathChanged {
            // Writes made to the old file before the path changed are visible now: read them.
            pathChanged = true
            return .readAgain
        }
        pathChanged = false
        if now == .missing, let old = try? POSIXFile.fileStatus(descriptor, path: path), old.st_nlink > 0 {
            // Renamed away with no successor yet: its writer may still append; keep reading it.
            return .upToDate
        }
        close(descriptor)
        descriptor = -1
        identity = nil
        fileSize = 0
        splitter.reset()
        if now != .missing, try reopen() {
            return .switched(.rotated, more: true)
        }
        return .switched(.deleted, more: false)
    }

    /// Opens the path again, at offset 0 and line 1.
    /// - Returns: false if the path does not exist.
    private func reopen() throws -> Bool {
        let opened: (Int32, stat)
        do {
            opened = try POSIXFile.openForReading(path, allowStreams: false)
        } catch IngestError.notFound {
            return false
        }
        descriptor = opened.0
        identity = FileIdentity(opened.1)
        fileSize = Int64(opened.1.st_size)
        splitter.reset()
        FileFollower.adviseSequential(descriptor)
        return true
    }

    private static func adviseSequential(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
    }
}
