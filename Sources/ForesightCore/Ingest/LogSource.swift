#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A log read line by line from the ingest thread: a followed file or a stream (pipe, stdin).
///
/// A source belongs to one thread. The usual loop:
/// ```swift
/// while running {
///     let status = try source.poll(maxBytes: 8 << 20) { line in parser.consume(line) }
///     if status.isFinished { break }
///     if status.atEOF { source.wait(timeoutMilliseconds: 100) }
/// }
/// ```
public protocol LogSource: AnyObject {
    /// The path, or "standard input", for messages.
    var displayName: String { get }
    /// Offset just past the last line handed out: where a resumed read starts.
    var offset: Int64 { get }
    /// The number the next line will get (to store with ``offset`` in a checkpoint).
    var nextLineNumber: Int { get }
    /// The size of the followed file, for progress; `nil` for a stream.
    var totalBytes: Int64? { get }
    /// Whether the source has ended for good (a closed stream). A followed file never ends.
    var isFinished: Bool { get }

    /// Reads what is available now, up to about `maxBytes`, and hands out complete lines in order.
    /// Never blocks.
    /// - Parameters:
    ///   - maxBytes: a budget that caps the work done between two redraws.
    ///   - body: called once per line; the ``Line`` is valid only during the call.
    /// - Throws: ``IngestError`` when reading fails.
    func poll(maxBytes: Int, _ body: (Line) -> Void) throws -> FollowStatus

    /// Blocks until more may be available or the timeout passes; it may return early.
    func wait(timeoutMilliseconds: Int32)

    /// Where the source stands in its file, for a checkpoint; nil for a stream (it cannot be resumed).
    var position: LogPosition? { get }
}

extension LogSource {
    /// A stream has no position.
    public var position: LogPosition? { nil }
}

/// Opening log sources by name.
public enum LogSources {
    /// Opens what the user named: `-` is standard input; a named pipe or character device is read
    /// as a stream; a regular file is followed like `tail -F`. Opening a named pipe waits until a
    /// writer opens it, as `cat` does.
    /// - Parameters:
    ///   - path: a file path, or `-` for standard input.
    ///   - startOffset: where to resume in a regular file (a checkpointed ``LogSource/offset``);
    ///     ignored for streams.
    ///   - startLine: the line number at `startOffset`.
    ///   - maxLineBytes: lines longer than this are handed out as ``Line/isTooLong``.
    /// - Throws: ``IngestError`` if the path cannot be opened.
    public static func open(path: String, startOffset: Int64 = 0, startLine: Int = 1,
                            maxLineBytes: Int = 1 << 20) throws -> any LogSource {
        if path == "-" {
            return StreamFollower(descriptor: 0, name: "standard input", maxLineBytes: maxLineBytes)
        }
        let (descriptor, status) = try POSIXFile.openForReading(path, allowStreams: true)
        if status.st_mode & S_IFMT == S_IFREG {
            return FileFollower(path: path, descriptor: descriptor, status: status,
                                startOffset: startOffset, startLine: startLine, maxLineBytes: maxLineBytes)
        }
        return StreamFollower(descriptor: descriptor, name: path, ownsDescriptor: true, maxLineBytes: maxLineBytes)
    }
}
