#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a stream that can be read only once: standard input, a pipe, a named pipe.
///
/// Reads never block: `poll(2)` with a zero timeout says whether data is there before each
/// `read(2)`, so the descriptor is left in blocking mode (setting `O_NONBLOCK` on a shared
/// standard input would leak into the shell that started the program). When the writer closes
/// the stream, its last line is handed out even without a newline and the source is finished.
/// Owned by one thread.
public final class StreamFollower: LogSource {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var splitter: LineSplitter
    private let buffer: ChunkBuffer
    /// Whether the writer closed the stream.
    public private(set) var isFinished = false
    /// Whether the stream ended in the middle of a line (handed out all the same).
    public private(set) var endedWithoutNewline = false
    /// "standard input", or the path of the named pipe.
    public let displayName: String

    /// Reads from an open descriptor.
    /// - Parameters:
    ///   - descriptor: the stream, 0 for standard input.
    ///   - name: what to call it in messages.
    ///   - ownsDescriptor: whether to close the descriptor when the follower goes away.
    ///   - maxLineBytes: lines longer than this are handed out as ``Line/isTooLong``.
    ///   - chunkBytes: the most one `read(2)` asks for.
    public init(descriptor: Int32 = 0, name: String = "standard input", ownsDescriptor: Bool = false,
                maxLineBytes: Int = 1 << 20, chunkBytes: Int = 1 << 20) {
        self.descriptor = descriptor
        self.displayName = name
        self.ownsDescriptor = ownsDescriptor
        self.splitter = LineSplitter(maxLineBytes: maxLineBytes)
        self.buffer = ChunkBuffer(byteCount: chunkBytes)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Bytes of the stream consumed up to the end of the last line handed out.
    public var offset: Int64 { splitter.offset }
    /// The number the next line will get.
    public var nextLineNumber: Int { splitter.nextLineNumber }
    /// Always `nil`: a stream's size is unknown.
    public var totalBytes: Int64? { nil }

    /// Reads what the stream holds now, up to about `maxBytes`, and hands out complete lines.
    /// Never blocks.
    /// - Returns: `atEOF` when nothing more is available now; `isFinished` once the stream closed.
    /// - Throws: ``IngestError/readFailed(path:errno:)`` if reading fails.
    public func poll(maxBytes: Int = 8 << 20, _ body: (Line) -> Void) throws -> FollowStatus {
        var status = FollowStatus(isFinished: isFinished)
        while !isFinished && status.bytesRead < maxBytes {
            guard try waitReadable(timeoutMilliseconds: 0) else {
                status.atEOF = true
                return status
            }
            guard let count = try POSIXFile.readStream(descriptor, into: buffer.bytes,
                                                       count: maxBytes - status.bytesRead, path: displayName) else {
                status.atEOF = true
                return status
            }
            if count == 0 {
                endedWithoutNewline = splitter.finish(body)
                isFinished = true
            } else {
                splitter.feed(UnsafeRawBufferPointer(rebasing: buffer.bytes[0..<count]), body)
                status.bytesRead += count
            }
        }
        status.isFinished = isFinished
        status.atEOF = status.atEOF || isFinished
        return status
    }

    /// Blocks until the stream has data or is closed, or the timeout passes (negative: no limit).
    public func wait(timeoutMilliseconds: Int32) {
        guard !isFinished else { return }
        _ = try? waitReadable(timeoutMilliseconds: timeoutMilliseconds)
    }

    /// `poll(2)` on the descriptor: whether a read would return at once (data, end or error).
    private func waitReadable(timeoutMilliseconds: Int32) throws -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = pollDescriptors(&entry, 1, timeoutMilliseconds)
            if ready >= 0 { return ready > 0 }
            guard errno == EINTR else { throw IngestError.readFailed(path: displayName, errno: errno) }
        }
    }
}

/// `poll(2)`, under a name that the `poll` methods of the log sources do not shadow.
func pollDescriptors(_ entries: UnsafeMutablePointer<pollfd>, _ count: Int, _ timeout: Int32) -> Int32 {
    poll(entries, nfds_t(count), timeout)
}
