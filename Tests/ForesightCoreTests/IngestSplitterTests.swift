import Testing
@testable import ForesightCore

@Suite("LineSplitter")
struct IngestSplitterTests {
    static let mixed: [UInt8] = Array((
        "{\"a\":1}\n" + "\r\n" + "\n" + "crlf line\r\n" + "x\n" + "\r\r\n" + "tab\there\n"
            + String(repeating: "0123456789", count: 50) + "\n" + "unicode é ✓\r\n" + "partial tail"
    ).utf8)

    @Test("every chunk size gives the same lines as one whole buffer", arguments: [1, 2, 3, 7, 64, 4096, 1 << 20])
    func chunkSizesAgree(chunkSize: Int) {
        var splitter = LineSplitter()
        let seen = split(Self.mixed, chunkSize: chunkSize, into: &splitter)
        #expect(seen == referenceLines(Self.mixed))
        #expect(seen.map(\.text) == ["{\"a\":1}", "crlf line", "x", "\r", "tab\there",
                                     String(repeating: "0123456789", count: 50), "unicode é ✓"])
        #expect(splitter.pendingBytes == "partial tail".utf8.count)
        #expect(splitter.offset == Int64(Self.mixed.count - "partial tail".utf8.count))
        #expect(splitter.nextLineNumber == 10)
    }

    @Test func offsetsAndNumbersCountEmptyLines() {
        var splitter = LineSplitter()
        let seen = split(Array("a\n\n\r\nbb\r\nccc\n".utf8), chunkSize: 100, into: &splitter)
        #expect(seen == [
            SeenLine(offset: 0, number: 1, length: 1, text: "a", isTooLong: false),
            SeenLine(offset: 5, number: 4, length: 2, text: "bb", isTooLong: false),
            SeenLine(offset: 9, number: 5, length: 3, text: "ccc", isTooLong: false),
        ])
        #expect(splitter.offset == 13)
        #expect(splitter.pendingBytes == 0)
    }

    @Test func crBeforeChunkBoundaryIsStripped() {
        var splitter = LineSplitter()
        var seen = split(Array("abc\r".utf8), chunkSize: 100, into: &splitter)
        #expect(seen.isEmpty)
        #expect(splitter.pendingBytes == 4)
        seen += split(Array("\nnext\n".utf8), chunkSize: 100, into: &splitter)
        #expect(seen.map(\.text) == ["abc", "next"])
        #expect(seen.map(\.length) == [3, 4])
        #expect(seen.map(\.offset) == [0, 5])
    }

    @Test func partialLineIsCarriedUntilItsNewline() {
        var splitter = LineSplitter(startOffset: 100, startLine: 7)
        var seen = split(Array("done\nhalf".utf8), chunkSize: 3, into: &splitter)
        #expect(seen.map(\.text) == ["done"])
        #expect(splitter.offset == 105)
        #expect(splitter.pendingBytes == 4)
        #expect(splitter.nextLineNumber == 8)
        seen += split(Array(" and rest".utf8), chunkSize: 2, into: &splitter)
        #expect(seen.count == 1)
        seen += split(Array("\n".utf8), chunkSize: 1, into: &splitter)
        #expect(seen.last == SeenLine(offset: 105, number: 8, length: 13, text: "half and rest", isTooLong: false))
        #expect(splitter.offset == 119)
        #expect(splitter.pendingBytes == 0)
    }

    @Test("too-long lines keep a prefix and true offset, length and number", arguments: [1, 5, 11, 12, 13, 4096])
    func tooLongLines(chunkSize: Int) {
        let long = String(repeating: "L", count: 30)
        let data = Array("ok\n\(long)\nexactly10!\r\nelevenbytes\r\nafter\n".utf8)
        var splitter = LineSplitter(maxLineBytes: 10)
        let seen = split(data, chunkSize: chunkSize, into: &splitter)
        #expect(seen == [
            SeenLine(offset: 0, number: 1, length: 2, text: "ok", isTooLong: false),
            SeenLine(offset: 3, number: 2, length: 30, text: String(repeating: "L", count: 10), isTooLong: true),
            SeenLine(offset: 34, number: 3, length: 10, text: "exactly10!", isTooLong: false),
            SeenLine(offset: 46, number: 4, length: 11, text: "elevenbyte", isTooLong: true),
            SeenLine(offset: 59, number: 5, length: 5, text: "after", isTooLong: false),
        ])
        #expect(seen == referenceLines(data, maxLineBytes: 10))
    }

    @Test func hugeLineIsNotBufferedWhole() {
        var splitter = LineSplitter(maxLineBytes: 1000)
        let piece = [UInt8](repeating: 0x41, count: 1024)
        var seen: [SeenLine] = []
        for _ in 0..<1024 {
            piece.withUnsafeBytes { splitter.feed($0) { seen.append(SeenLine($0)) } }
            #expect(splitter.keptBytes <= 1001)
        }
        #expect(splitter.pendingBytes == 1 << 20)
        #expect(splitter.keptBytes == 1000)
        Array("\r\nnext\n".utf8).withUnsafeBytes { splitter.feed($0) { seen.append(SeenLine($0)) } }
        #expect(seen.count == 2)
        #expect(seen.first?.length == 1 << 20)
        #expect(seen.first?.text == String(repeating: "A", count: 1000))
        #expect(seen.first?.isTooLong == true)
        #expect(seen.last == SeenLine(offset: (1 << 20) + 2, number: 2, length: 4, text: "next", isTooLong: false))
    }

    @Test func previewIsCappedAt4096Bytes() {
        let data = Array((String(repeating: "p", count: 10000) + "\n").utf8)
        var whole = LineSplitter(maxLineBytes: 8000)
        var carried = LineSplitter(maxLineBytes: 8000)
        let inChunk = split(data, chunkSize: data.count, into: &whole)
        let acrossChunks = split(data, chunkSize: 999, into: &carried)
        #expect(inChunk.first?.text.utf8.count == 4096)
        #expect(inChunk == acrossChunks)
        #expect(inChunk.first?.isTooLong == true)
    }

    @Test("a line of exactly maxLineBytes before CRLF is whole, past the preview size", arguments: [1, 100, 4999, 5000, 5001])
    func exactLimitWithCRLFAcrossChunks(chunkSize: Int) {
        let exact = String(repeating: "e", count: 5000)
        let data = Array((exact + "\r\n" + exact + "x\r\n").utf8)
        var splitter = LineSplitter(maxLineBytes: 5000)
        let seen = split(data, chunkSize: chunkSize, into: &splitter)
        #expect(seen == referenceLines(data, maxLineBytes: 5000))
        #expect(seen.first?.text == exact)
        #expect(seen.last?.isTooLong == true)
        #expect(seen.last?.length == 5001)
    }

    @Test func finishHandsOutTheUnterminatedLine() {
        var splitter = LineSplitter()
        var seen = split(Array("a\nlast\r".utf8), chunkSize: 4, into: &splitter)
        let hadTail = splitter.finish { seen.append(SeenLine($0)) }
        #expect(hadTail)
        #expect(seen.map(\.text) == ["a", "last"])
        #expect(splitter.offset == 7)
        #expect(!splitter.finish { _ in Issue.record("nothing is pending") })
    }

    @Test func resetDropsThePartialLineAndRestartsNumbers() {
        var splitter = LineSplitter()
        _ = split(Array("one\ntwo\nthr".utf8), chunkSize: 5, into: &splitter)
        splitter.reset()
        #expect(splitter.pendingBytes == 0)
        #expect(splitter.offset == 0)
        let seen = split(Array("new\n".utf8), chunkSize: 5, into: &splitter)
        #expect(seen == [SeenLine(offset: 0, number: 1, length: 3, text: "new", isTooLong: false)])
    }

    @Test("random bytes split in random chunks match the reference", arguments: 1...20)
    func randomChunking(seed: UInt64) {
        var random = SeededGenerator(state: seed)
        let alphabet: [UInt8] = [0x61, 0x62, 0x0D, 0x0A, 0x0A, 0x20]
        let data = (0..<Int.random(in: 0...3000, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? 0 }
        let maxLineBytes = Int.random(in: 1...40, using: &random)
        var splitter = LineSplitter(maxLineBytes: maxLineBytes, startOffset: 42, startLine: 3)
        var seen: [SeenLine] = []
        data.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + Int.random(in: 1...64, using: &random))
                splitter.feed(UnsafeRawBufferPointer(rebasing: all[start..<end])) { seen.append(SeenLine($0)) }
                start = end
            }
        }
        #expect(seen == referenceLines(data, maxLineBytes: maxLineBytes, startOffset: 42, startLine: 3))
        let tail = data.count - ((data.lastIndex(of: 0x0A) ?? -1) + 1)
        #expect(splitter.pendingBytes == tail)
        #expect(splitter.offset == 42 + Int64(data.count - tail))
    }
}

@Test func throughputCheckCountsEveryLine() {
    let sample = LineSplitter.sampleLog(totalBytes: 1 << 16)
    let result = LineSplitter.measureThroughput(totalBytes: 1 << 16, chunkBytes: 4096)
    #expect(result.bytes == sample.count)
    #expect(result.lines == sample.filter { $0 == 0x0A }.count)
    #expect(result.lines > 100)
}
