#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream, fed in chunks of any size, into lines ending in LF or CRLF.
///
/// Lines that lie wholly inside a chunk are handed out in place, without copying. The unfinished
/// last line of a chunk is carried in an internal buffer until its newline arrives; an unfinished
/// line is not an error, it is simply not handed out yet (``pendingBytes`` says how long it is).
///
/// The carried buffer is bounded: once a line is known to be longer than `maxLineBytes`, only its
/// first `min(maxLineBytes, 4096)` bytes are kept, and the line is handed out with
/// ``Line/isTooLong`` set and its true offset, length and number when its newline arrives.
///
/// Empty lines (nothing but a terminator) are not handed out but are counted in line numbers.
public struct LineSplitter {
    /// Lines longer than this (terminator excluded) are handed out as ``Line/isTooLong``.
    public let maxLineBytes: Int
    /// How many bytes of a too-long line are kept.
    let previewBytes: Int
    /// The carried prefix is kept whole up to this size: one byte more than `maxLineBytes`,
    /// because a trailing `\r` that is stripped later does not count.
    private let carryLimit: Int

    /// Offset just past the last complete line, which is where the carried partial line starts.
    ///
    /// This is what a checkpoint stores: resuming at this offset neither loses nor repeats a line.
    public private(set) var offset: Int64
    /// The number the next line will get.
    public private(set) var nextLineNumber: Int

    /// Kept bytes of the unfinished line (all of them, or the preview prefix once it is too long).
    private var carry: [UInt8] = []
    /// Bytes of the unfinished line seen so far, including those not kept.
    private var carriedLength = 0
    /// The last byte of the unfinished line, to strip a `\r` whose `\n` arrives in the next chunk.
    private var carriedLastByte: UInt8 = 0

    /// Creates a splitter.
    /// - Parameters:
    ///   - maxLineBytes: lines longer than this are reported as too long (at least 1).
    ///   - startOffset: file offset of the first byte that will be fed (a checkpointed ``offset``).
    ///   - startLine: number of the first line that will be fed.
    public init(maxLineBytes: Int = 1 << 20, startOffset: Int64 = 0, startLine: Int = 1) {
        precondition(maxLineBytes > 0, "maxLineBytes must be positive")
        self.maxLineBytes = maxLineBytes
        self.previewBytes = min(maxLineBytes, 4096)
        self.carryLimit = maxLineBytes == Int.max ? Int.max : maxLineBytes + 1
        self.offset = startOffset
        self.nextLineNumber = startLine
    }

    /// Bytes of an unfinished line read but not yet handed out (including bytes of a too-long line
    /// that were not kept). `offset + pendingBytes` is the offset of the next byte to feed.
    public var pendingBytes: Int { carriedLength }

    /// Bytes of the unfinished line actually held in memory (bounded by `maxLineBytes + 1`).
    var keptBytes: Int { carry.count }

    /// Feeds the next chunk of the stream and hands out every line it completes, in order.
    /// - Parameters:
    ///   - chunk: the bytes that follow those fed before; it may hold any part of any line.
    ///   - body: called once per complete non-empty line; the ``Line`` is valid only during the call.
    /// - Complexity: O(n) in the chunk's size: one `memchr` per line, and a copy only of the line
    ///   that straddles the chunk's start or end.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (Line) -> Void) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        let end = chunk.count
        var start = 0
        if carriedLength > 0 {
            guard let newline = memchr(base, 0x0A, end) else {
                appendToCarry(chunk)
                return
            }
            let index = base.distance(to: UnsafeRawPointer(newline))
            appendToCarry(UnsafeRawBufferPointer(start: base, count: index))
            emitCarried(terminatorBytes: 1, body)
            start = index + 1
        }
        while start < end {
            guard let newline = memchr(base + start, 0x0A, end - start) else {
                appendToCarry(UnsafeRawBufferPointer(start: base + start, count: end - start))
                return
            }
            let index = base.distance(to: UnsafeRawPointer(newline))
            var length = index - start
            if length > 0 && base.load(fromByteOffset: index - 1, as: UInt8.self) == 0x0D {
                length -= 1
            }
            if length > 0 {
                let kept = length > maxLineBytes ? previewBytes : length
                body(Line(bytes: UnsafeRawBufferPointer(start: base + start, count: kept),
                          offset: offset, number: nextLineNumber, length: length))
            }
            offset += Int64(index - start + 1)
            nextLineNumber += 1
            start = index + 1
        }
    }

    /// Hands out the unfinished last line, if any, as if its newline had arrived.
    ///
    /// For a stream that has ended (a closed pipe, a one-shot replay of a file whose last line has
    /// no newline). Never call it while following a file that may still grow: the line may be half
    /// written. ``offset`` then points just past the line's last byte.
    /// - Returns: whether there was an unfinished line (it may have been empty after `\r` stripping).
    @discardableResult
    public mutating func finish(_ body: (Line) -> Void) -> Bool {
        guard carriedLength > 0 else { return false }
        emitCarried(terminatorBytes: 0, body)
        return true
    }

    /// Forgets any unfinished line and starts counting again, e.g. after the file was truncated.
    public mutating func reset(offset: Int64 = 0, line: Int = 1) {
        self.offset = offset
        self.nextLineNumber = line
        carry.removeAll(keepingCapacity: true)
        carriedLength = 0
    }

    /// Adds bytes of the unfinished line, keeping at most `carryLimit` bytes, then only the preview.
    private mutating func appendToCarry(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        carriedLength += bytes.count
        carriedLastByte = bytes[bytes.count - 1]
        if carriedLength <= carryLimit {
            carry.append(contentsOf: bytes)
        } else if carry.count > previewBytes {
            carry.removeSubrange(previewBytes...)
        } else if carry.count < previewBytes {
            // The line is too long by now, so this chunk holds enough bytes to fill the preview.
            carry.append(contentsOf: UnsafeRawBufferPointer(start: base, count: previewBytes - carry.count))
        }
    }

    /// Hands out the carried line (unless empty) and moves past it and its terminator.
    private mutating func emitCarried(terminatorBytes: Int, _ body: (Line) -> Void) {
        var length = carriedLength
        if carriedLastByte == 0x0D { length -= 1 }
        if length > 0 {
            let kept = length > maxLineBytes ? min(previewBytes, carry.count) : length
            let lineOffset = offset
            let number = nextLineNumber
            carry.withUnsafeBytes { buffer in
                body(Line(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<kept]),
                          offset: lineOffset, number: number, length: length))
            }
        }
        offset += Int64(carriedLength + terminatorBytes)
        nextLineNumber += 1
        carry.removeAll(keepingCapacity: true)
        carriedLength = 0
    }
}
