/// What a one-shot replay read.
public struct ReplayTotals: Equatable, Sendable {
    /// Bytes read.
    public var bytes: Int64
    /// Lines handed out (empty lines are not handed out, too-long lines are).
    public var lines: Int
    /// Whether the log ended without a newline; its last line was handed out all the same (a file
    /// still being written may have ended in the middle of a line).
    public var endedWithoutNewline: Bool

    /// Creates totals.
    public init(bytes: Int64 = 0, lines: Int = 0, endedWithoutNewline: Bool = false) {
        self.bytes = bytes
        self.lines = lines
        self.endedWithoutNewline = endedWithoutNewline
    }
}

extension LogSources {
    /// Reads a whole log once, from the start to its current end, for headless commands.
    ///
    /// A last line without a newline is handed out too (see ``ReplayTotals/endedWithoutNewline``).
    /// - Parameters:
    ///   - path: a file, a named pipe, or `-` for standard input (read until it is closed).
    ///   - maxLineBytes: lines longer than this are handed out as ``Line/isTooLong``.
    ///   - chunkBytes: the size of one read.
    ///   - body: called once per line, in order; the ``Line`` is valid only during the call.
    /// - Returns: bytes and lines read.
    /// - Throws: ``IngestError`` if the log cannot be opened or read.
    /// - Complexity: O(n) in the log's size, with memory bounded by `chunkBytes + maxLineBytes`.
    public static func readAll(path: String, maxLineBytes: Int = 1 << 20, chunkBytes: Int = 1 << 20,
                               _ body: (Line) -> Void) throws -> ReplayTotals {
        let stream: StreamFollower
        if path == "-" {
            stream = StreamFollower(maxLineBytes: maxLineBytes, chunkBytes: chunkBytes)
        } else {
            let descriptor = try POSIXFile.openForReading(path, allowStreams: true).0
            stream = StreamFollower(descriptor: descriptor, name: path, ownsDescriptor: true,
                                    maxLineBytes: maxLineBytes, chunkBytes: chunkBytes)
        }
        var totals = ReplayTotals()
        // A regular file read as a stream ends at its current end; a pipe ends when its writer closes.
        while !stream.isFinished {
            let status = try stream.poll(maxBytes: Int.max) { line in
                totals.lines += 1
                body(line)
            }
            totals.bytes += Int64(status.bytesRead)
            if !status.isFinished { stream.wait(timeoutMilliseconds: -1) }
        }
        totals.endedWithoutNewline = stream.endedWithoutNewline
        return totals
    }
}
