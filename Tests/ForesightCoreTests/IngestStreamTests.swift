import Foundation
import Testing
@testable import ForesightCore

/// A pipe whose write end the test holds.
final class TestPipe {
    let readEnd: Int32
    private(set) var writeEnd: Int32

    init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw IngestError.openFailed(path: "pipe", errno: errno) }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit { closeWriteEnd() }

    func write(_ text: String) {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(writeEnd, $0.baseAddress, $0.count) }
        #expect(written == bytes.count)
    }

    func closeWriteEnd() {
        if writeEnd >= 0 { close(writeEnd) }
        writeEnd = -1
    }
}

@Suite("StreamFollower and one-shot replay")
struct IngestStreamTests {
    @Test func followsAPipeUntilItCloses() throws {
        let pipe = try TestPipe()
        let stream = StreamFollower(descriptor: pipe.readEnd, name: "test pipe", ownsDescriptor: true)
        var seen: [SeenLine] = []
        pipe.write("a\nb")
        var status = try stream.poll { seen.append(SeenLine($0)) }
        #expect(seen.map(\.text) == ["a"])
        #expect(status == FollowStatus(bytesRead: 3, atEOF: true))
        status = try stream.poll { seen.append(SeenLine($0)) }
        #expect(status == FollowStatus(bytesRead: 0, atEOF: true))
        pipe.write("c\r\nlast")
        stream.wait(timeoutMilliseconds: 1000)
        _ = try stream.poll { seen.append(SeenLine($0)) }
        #expect(seen.map(\.text) == ["a", "bc"])
        #expect(stream.offset == 6)
        pipe.closeWriteEnd()
        stream.wait(timeoutMilliseconds: 1000)
        status = try stream.poll { seen.append(SeenLine($0)) }
        #expect(status.isFinished)
        #expect(stream.isFinished)
        #expect(seen == referenceLines(Array("a\nbc\r\nlast\n".utf8)))
        status = try stream.poll { _ in Issue.record("a finished stream hands out nothing") }
        #expect(status.isFinished && status.atEOF && status.bytesRead == 0)
    }

    @Test func budgetLeavesTheRestForTheNextPoll() throws {
        let pipe = try TestPipe()
        let stream = StreamFollower(descriptor: pipe.readEnd, ownsDescriptor: true)
        pipe.write("0123456789\nabc\n")
        var seen: [String] = []
        let first = try stream.poll(maxBytes: 4) { seen.append($0.text) }
        #expect(first == FollowStatus(bytesRead: 4, atEOF: false))
        #expect(seen.isEmpty)
        _ = try stream.poll { seen.append($0.text) }
        #expect(seen == ["0123456789", "abc"])
    }

    @Test func readAllReplaysAFileOnce() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        let text = "x\n\ny\r\n" + String(repeating: "z", count: 50) + "\nno newline"
        try append(text, to: path)
        var seen: [SeenLine] = []
        let totals = try LogSources.readAll(path: path, maxLineBytes: 20, chunkBytes: 3) { seen.append(SeenLine($0)) }
        #expect(totals == ReplayTotals(bytes: Int64(text.utf8.count), lines: 4, endedWithoutNewline: true))
        #expect(seen == referenceLines(Array((text + "\n").utf8), maxLineBytes: 20))
        #expect(seen.filter(\.isTooLong).count == 1)
    }

    @Test func openReadsANamedPipeAsAStream() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opened for reading and writing, the pipe has a writer, so opening it to read does not wait.
        let writer = open(fifo, O_RDWR)
        #expect(writer >= 0)
        let bytes = Array("p1\np2\n".utf8)
        #expect(bytes.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } == bytes.count)
        let source = try LogSources.open(path: fifo)
        #expect(source is StreamFollower)
        #expect(source.totalBytes == nil)
        var seen: [String] = []
        _ = try source.poll(maxBytes: 1 << 20) { seen.append($0.text) }
        #expect(seen == ["p1", "p2"])
        close(writer)
        source.wait(timeoutMilliseconds: 1000)
        #expect(try source.poll(maxBytes: 1 << 20) { _ in }.isFinished)
    }

    @Test func openChoosesAFollowerForRegularFiles() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        try append("a\n", to: path)
        let source = try LogSources.open(path: path, startOffset: 2, startLine: 2)
        #expect(source is FileFollower)
        #expect(source.offset == 2)
        #expect(source.totalBytes == 2)
        #expect(source.displayName == path)
        #expect(!source.isFinished)
    }

    @Test func readAllReportsAMissingFile() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing.jsonl")
        #expect(throws: IngestError.notFound(path: missing)) {
            try LogSources.readAll(path: missing) { _ in }
        }
    }
}
