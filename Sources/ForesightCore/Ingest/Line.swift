/// One line of a log, as handed out by ``LineSplitter`` and the log sources.
///
/// A `Line` points into a buffer that is reused: it is valid only inside the callback that receives
/// it. Copy what must outlive the callback (see ``text`` for diagnostics).
public struct Line {
    /// The content, without the `\n` and without one trailing `\r`.
    ///
    /// When ``isTooLong`` is true only a prefix is kept (at most `min(maxLineBytes, 4096)` bytes),
    /// enough to show the line in a quarantine preview.
    public let bytes: UnsafeRawBufferPointer
    /// Byte offset of the line's first byte in the file (or stream).
    public let offset: Int64
    /// 1-based line number in the current file; it restarts at 1 after a truncation or rotation.
    public let number: Int
    /// Full length of the content in bytes, without the line terminator.
    public let length: Int

    /// Creates a line. The log sources build these; tests and parsers may build their own.
    public init(bytes: UnsafeRawBufferPointer, offset: Int64, number: Int, length: Int) {
        self.bytes = bytes
        self.offset = offset
        self.number = number
        self.length = length
    }

    /// Whether the line is longer than the splitter's `maxLineBytes`, so that ``bytes`` is only a prefix.
    public var isTooLong: Bool { length > bytes.count }

    /// The kept bytes decoded as UTF-8 (invalid sequences replaced). Allocates: not for the hot path.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
