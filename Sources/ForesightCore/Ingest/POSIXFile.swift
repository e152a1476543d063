#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which file a path or descriptor refers to: two names for the same file have the same identity.
///
/// A checkpoint can store it next to ``FileFollower/offset`` to notice, on restart, that the log
/// was rotated while the program was not running.
public struct FileIdentity: Hashable, Sendable {
    /// The device holding the file.
    public let device: UInt64
    /// The inode number on that device.
    public let inode: UInt64

    init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}

/// What `stat(2)` says about a path right now.
enum PathState: Equatable {
    case file(FileIdentity)
    case missing
}

/// The default size of one read: large enough that syscalls cost nothing next to splitting.
let defaultChunkBytes = 1 << 20

/// A reusable, page-aligned read buffer, freed with its owner.
final class ChunkBuffer {
    let bytes: UnsafeMutableRawBufferPointer

    init(byteCount: Int) {
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(byteCount, 1), alignment: 4096)
    }

    deinit { bytes.deallocate() }
}

enum POSIXFile {
    /// Opens a path for reading and checks that it is a regular file or, if `allowStreams`, a
    /// named pipe or character device. Returns the descriptor (in blocking mode) and its status.
    ///
    /// The first open does not block, so that a named pipe is recognised (and refused, when
    /// streams are not allowed) without waiting. An allowed named pipe is then opened again in
    /// blocking mode, which waits until a writer opens it, as `cat` does: opened without a
    /// writer, a pipe would read as already ended.
    static func openForReading(_ path: String, allowStreams: Bool) throws -> (Int32, stat) {
        let (probe, probeStatus) = try openChecked(path, flags: O_NONBLOCK, allowStreams: allowStreams)
        guard probeStatus.st_mode & S_IFMT == S_IFIFO else {
            _ = fcntl(probe, F_SETFL, fcntl(probe, F_GETFL) & ~O_NONBLOCK)
            return (probe, probeStatus)
        }
        close(probe)
        return try openChecked(path, flags: 0, allowStreams: allowStreams)
    }

    /// `open(2)` for reading with extra flags, then ``checkType(_:path:allowStreams:)``.
    private static func openChecked(_ path: String, flags: Int32, allowStreams: Bool) throws -> (Int32, stat) {
        var descriptor: Int32
        repeat {
            descriptor = path.withCString { open($0, O_RDONLY | O_CLOEXEC | flags) }
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else { throw IngestError.opening(path, errno: errno) }
        do {
            let status = try fileStatus(descriptor, path: path)
            try checkType(status, path: path, allowStreams: allowStreams)
            return (descriptor, status)
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// Accepts a regular file and, if `allowStreams`, a named pipe or a character device.
    private static func checkType(_ status: stat, path: String, allowStreams: Bool) throws {
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            return
        case S_IFIFO where allowStreams, S_IFCHR where allowStreams:
            return
        case S_IFDIR:
            throw IngestError.isDirectory(path: path)
        case S_IFIFO:
            throw IngestError.unsupportedFileType(path: path, kind: "named pipe, which can be read once but not followed")
        case S_IFCHR:
            throw IngestError.unsupportedFileType(path: path, kind: "character device, which can be read once but not followed")
        case S_IFSOCK:
            throw IngestError.unsupportedFileType(path: path, kind: "socket")
        default:
            throw IngestError.unsupportedFileType(path: path, kind: "special file")
        }
    }

    /// `fstat(2)`, retried on `EINTR`.
    static func fileStatus(_ descriptor: Int32, path: String) throws -> stat {
        var status = stat()
        while fstat(descriptor, &status) != 0 {
            guard errno == EINTR else { throw IngestError.readFailed(path: path, errno: errno) }
        }
        return status
    }

    /// `stat(2)` of a path, following symlinks; any failure counts as missing.
    static func pathState(_ path: String) -> PathState {
        var status = stat()
        guard path.withCString({ stat($0, &status) }) == 0 else { return .missing }
        return .file(FileIdentity(status))
    }

    /// `pread(2)` into the buffer, retried on `EINTR`. Returns 0 at end of file.
    static func readAt(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, count: Int,
                       at offset: Int64, path: String) throws -> Int {
        while true {
            let n = pread(descriptor, buffer.baseAddress, min(count, buffer.count), off_t(offset))
            if n >= 0 { return n }
            guard errno == EINTR else { throw IngestError.readFailed(path: path, errno: errno) }
        }
    }

    /// `read(2)` into the buffer, retried on `EINTR`. Returns 0 at end of stream and `nil` when
    /// a non-blocking descriptor has nothing to read.
    static func readStream(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, count: Int,
                           path: String) throws -> Int? {
        while true {
            let n = read(descriptor, buffer.baseAddress, min(count, buffer.count))
            if n >= 0 { return n }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw IngestError.readFailed(path: path, errno: errno)
            }
        }
    }
}
