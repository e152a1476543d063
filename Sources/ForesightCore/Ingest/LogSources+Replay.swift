#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        let descriptor: Int32
        let ownsDescriptor: Bool
        let name: String
        if path == "-" {
            (descriptor, ownsDescriptor, name) = (0, false, "standard input")
        } else {
            descriptor = try POSIXFile.openForReading(path, allowStreams: true).0
            (ownsDescriptor, name) = (true, path)
        }
        defer { if ownsDescriptor { close(descriptor) } }

        let buffer = ChunkBuffer(byteCount: chunkBytes)
        var splitter = LineSplitter(maxLineBytes: maxLineBytes)
        var totals = ReplayTotals()
        func counting(_ line: Line) {
            totals.lines += 1
            body(line)
        }
        // Blocking reads: a replay has nothing else to do while a pipe is quiet.
        while true {
            guard let count = try POSIXFile.readStream(descriptor, into: buffer.bytes, count: buffer.count,
                                                       path: name) else {
                // The descriptor was left non-blocking by whoever passed it: wait for data.
                var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                _ = pollDescriptors(&entry, 1, -1)
                continue
            }
            if count == 0 { break }
            splitter.feed(UnsafeRawBufferPointer(rebasing: buffer.bytes[0..<count]), counting)
            totals.bytes += Int64(count)
        }
        totals.endedWithoutNewline = splitter.finish(counting)
        return totals
    }
}
