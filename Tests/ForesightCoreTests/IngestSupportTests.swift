// Helpers shared by the Ingest tests: a copy of each line handed out, a reference splitter,
// a seeded generator and a temporary directory.
import Foundation
import Testing
@testable import ForesightCore

/// Everything a test wants to compare about a ``Line``, copied out of the callback.
struct SeenLine: Equatable, CustomStringConvertible {
    var offset: Int64
    var number: Int
    var length: Int
    var text: String
    var isTooLong: Bool

    init(_ line: Line) {
        offset = line.offset
        number = line.number
        length = line.length
        text = line.text
        isTooLong = line.isTooLong
    }

    init(offset: Int64, number: Int, length: Int, text: String, isTooLong: Bool) {
        self.offset = offset
        self.number = number
        self.length = length
        self.text = text
        self.isTooLong = isTooLong
    }

    var description: String { "#\(number)@\(offset)[\(length)\(isTooLong ? " long" : "")] \(text.debugDescription)" }
}

/// A plain, obviously correct splitter over a whole buffer: the expected output.
func referenceLines(_ data: [UInt8], maxLineBytes: Int = 1 << 20, startOffset: Int64 = 0,
                    startLine: Int = 1) -> [SeenLine] {
    var result: [SeenLine] = []
    var start = 0
    var number = startLine
    for (index, byte) in data.enumerated() where byte == 0x0A {
        var content = Array(data[start..<index])
        if content.last == 0x0D { content.removeLast() }
        if !content.isEmpty {
            let tooLong = content.count > maxLineBytes
            let kept = tooLong ? Array(content.prefix(min(maxLineBytes, 4096))) : content
            result.append(SeenLine(offset: startOffset + Int64(start), number: number, length: content.count,
                                   text: String(decoding: kept, as: UTF8.self), isTooLong: tooLong))
        }
        number += 1
        start = index + 1
    }
    return result
}

/// Feeds `data` to `splitter` in chunks of `chunkSize` bytes and returns the lines handed out.
func split(_ data: [UInt8], chunkSize: Int, into splitter: inout LineSplitter) -> [SeenLine] {
    var seen: [SeenLine] = []
    data.withUnsafeBytes { all in
        var start = 0
        while start < all.count {
            let end = min(start + chunkSize, all.count)
            splitter.feed(UnsafeRawBufferPointer(rebasing: all[start..<end])) { seen.append(SeenLine($0)) }
            start = end
        }
    }
    return seen
}

/// SplitMix64: a tiny seeded generator, so that random tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A temporary directory that removes itself.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("foresight-ingest-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Appends text to a file (creating it), the way a logger does.
func append(_ text: String, to path: String) throws {
    if !FileManager.default.fileExists(atPath: path) {
        FileManager.default.createFile(atPath: path, contents: nil)
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
}
