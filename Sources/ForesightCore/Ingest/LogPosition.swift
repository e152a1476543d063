#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a followed file was read to, as a checkpoint stores it: which file (device, inode, and a
/// fingerprint of its first bytes, so that a file replaced by another is told apart even when the inode is
/// reused) and the offset of the next line, always the start of a line.
public struct LogPosition: Sendable, Equatable, Codable {
    /// The followed path, as given.
    public var path: String
    public var device: UInt64
    public var inode: UInt64
    /// Offset just past the last line handed out.
    public var offset: Int64
    /// The number of the line at ``offset``.
    public var line: Int
    /// How many of the file's first bytes ``fingerprint`` covers: min(``fingerprintLimit``, offset).
    public var fingerprintBytes: Int
    /// ``hashBytes(_:_:)`` of those bytes.
    public var fingerprint: UInt64

    /// The first bytes fingerprinted.
    public static let fingerprintLimit = 4096

    public init(path: String, device: UInt64, inode: UInt64, offset: Int64, line: Int, fingerprintBytes: Int, fingerprint: UInt64) {
        self.path = path
        self.device = device
        self.inode = inode
        self.offset = offset
        self.line = line
        self.fingerprintBytes = fingerprintBytes
        self.fingerprint = fingerprint
    }

    /// The fingerprint of the first `count` bytes of an open file, nil when it has fewer.
    static func fingerprint(descriptor: Int32, count: Int) -> UInt64? {
        guard count > 0 else { return hashBytes(nil, 0) }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, 0) }
        guard n == count else { return nil }
        return bytes.withUnsafeBytes { hashBytes($0) }
    }

    /// The fingerprint of the first `count` bytes of the file at `path`, nil when unreadable or shorter.
    public static func fingerprint(path: String, count: Int) -> UInt64? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return fingerprint(descriptor: fd, count: count)
    }
}

/// Where to resume reading a log after a restart, decided from the checkpoint's ``LogPosition`` and what the
/// path names now.
public struct ResumePlan: Sendable, Equatable {
    /// Read this file (the checkpoint's file, renamed away by a rotation) from ``drainOffset`` to its end
    /// first, then the log from the start.
    public var drainPath: String?
    public var drainOffset: Int64 = 0
    public var drainLine: Int = 1
    /// Where to start in the log itself.
    public var offset: Int64
    public var line: Int
    /// What happened to the log since the checkpoint, for the user; nil when it simply grew.
    public var notice: String?

    /// Reads the log from the start.
    public static let fromStart = ResumePlan(offset: 0, line: 1)

    public init(drainPath: String? = nil, drainOffset: Int64 = 0, drainLine: Int = 1, offset: Int64, line: Int, notice: String? = nil) {
        self.drainPath = drainPath
        self.drainOffset = drainOffset
        self.drainLine = drainLine
        self.offset = offset
        self.line = line
        self.notice = notice
    }

    /// Decides where to resume `path` from a checkpoint's position.
    ///
    /// - The same file (device and inode), at least as long as the offset and with the same first bytes:
    ///   resume at the offset.
    /// - The same file, shorter than the offset (truncated) or with other first bytes (rewritten): read it
    ///   from the start, as the follower does with a file truncated while it runs.
    /// - Another file: if the checkpoint's file is still in the same folder under another name (rotated),
    ///   finish it from the offset, then read the new file from the start; if the new file starts with the
    ///   checkpoint's first bytes (a copy of the same log), resume at the offset; otherwise read the new file
    ///   from the start. The state read so far is kept in every case (`--reset-state` discards it).
    public static func resume(path: String, from p: LogPosition) -> ResumePlan {
        var st = stat()
        guard stat(path, &st) == 0 else { return ResumePlan(offset: p.offset, line: p.line) }
        let same = UInt64(st.st_dev) == p.device && UInt64(st.st_ino) == p.inode
        if same {
            if Int64(st.st_size) < p.offset {
                return ResumePlan(offset: 0, line: 1, notice: "\(path) was truncated since the checkpoint (\(st.st_size) bytes, the checkpoint was at byte \(p.offset)): reading it again from the start; what was read before is kept")
            }
            if LogPosition.fingerprint(path: path, count: p.fingerprintBytes) != p.fingerprint {
                return ResumePlan(offset: 0, line: 1, notice: "\(path) was rewritten since the checkpoint (its first bytes changed): reading it from the start; what was read before is kept")
            }
            return ResumePlan(offset: p.offset, line: p.line)
        }
        if let old = findRenamed(near: path, device: p.device, inode: p.inode),
           LogPosition.fingerprint(path: old, count: p.fingerprintBytes) == p.fingerprint {
            return ResumePlan(drainPath: old, drainOffset: p.offset, drainLine: p.line, offset: 0, line: 1,
                              notice: "\(path) was rotated since the checkpoint: finishing \(old) from byte \(p.offset), then reading the new \(path) from the start")
        }
        if Int64(st.st_size) >= p.offset, LogPosition.fingerprint(path: path, count: p.fingerprintBytes) == p.fingerprint {
            // Another inode with the same first bytes: the same log copied, restored or moved across file systems.
            return ResumePlan(offset: p.offset, line: p.line, notice: "\(path) is another file than at the checkpoint but starts with the same bytes (a copy of the same log): resuming at byte \(p.offset)")
        }
        return ResumePlan(offset: 0, line: 1, notice: "\(path) is another file than at the checkpoint (rotated or replaced): reading it from the start; what was read before is kept (--reset-state starts over)")
    }

    /// A file in the folder of `path` with this device and inode (the checkpoint's file under a new name).
    static func findRenamed(near path: String, device: UInt64, inode: UInt64) -> String? {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        guard let d = opendir(dir.isEmpty ? "/" : dir) else { return nil }
        defer { closedir(d) }
        while let entry = readdir(d) {
            guard UInt64(entry.pointee.d_ino) == inode else { continue }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            let candidate = (dir.isEmpty ? "" : dir) + "/" + name
            var st = stat()
            if stat(candidate, &st) == 0, UInt64(st.st_dev) == device, UInt64(st.st_ino) == inode { return candidate }
        }
        return nil
    }
}
