import Foundation
import Testing
@testable import ForesightCore

/// Polls a follower until it reports the end of what is available, recording lines and notices.
final class FollowRecorder {
    let follower: FileFollower
    var lines: [SeenLine] = []
    var notices: [FollowNotice] = []

    init(_ follower: FileFollower) { self.follower = follower }

    /// Polls until `atEOF` and returns the lines that poll handed out.
    @discardableResult
    func drain(maxBytes: Int = 8 << 20) throws -> [SeenLine] {
        var fresh: [SeenLine] = []
        while true {
            let status = try follower.poll(maxBytes: maxBytes) { fresh.append(SeenLine($0)) }
            notices += status.notices
            if status.atEOF { break }
            #expect(status.bytesRead > 0 || !status.notices.isEmpty, "a poll that stops early did something")
        }
        lines += fresh
        return fresh
    }
}

@Suite("FileFollower")
struct IngestFollowerTests {
    @Test func replaysThenFollowsAppends() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        try append("one\ntwo\n", to: path)
        let recorder = FollowRecorder(try FileFollower(path: path))
        #expect(try recorder.drain().map(\.text) == ["one", "two"])
        #expect(try recorder.drain().isEmpty)
        try append("three\r\nfour\n", to: path)
        recorder.follower.wait(timeoutMilliseconds: 1000)
        #expect(try recorder.drain().map(\.text) == ["three", "four"])
        let written = Array("one\ntwo\nthree\r\nfour\n".utf8)
        #expect(recorder.lines == referenceLines(written))
        #expect(recorder.follower.offset == Int64(written.count))
        #expect(recorder.follower.fileSize == Int64(written.count))
        #expect(recorder.notices.isEmpty)
    }

    @Test func partialLineIsCompletedLater() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        try append("a\nhalf", to: path)
        let recorder = FollowRecorder(try FileFollower(path: path))
        #expect(try recorder.drain().map(\.text) == ["a"])
        #expect(recorder.follower.offset == 2)
        try append(" done\n", to: path)
        #expect(try recorder.drain() == [SeenLine(offset: 2, number: 2, length: 9, text: "half done", isTooLong: false)])
        #expect(recorder.follower.offset == 12)
    }

    @Test func smallBudgetsHandOutEveryLineOnce() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        let text = (1...200).map { "line \($0) " + String(repeating: "x", count: $0 % 17) }.joined(separator: "\n") + "\n"
        try append(text, to: path)
        let recorder = FollowRecorder(try FileFollower(path: path))
        try recorder.drain(maxBytes: 7)
        #expect(recorder.lines == referenceLines(Array(text.utf8)))
    }

    @Test func resumesAtStartOffset() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        try append("first\nsecond\nthird\n", to: path)
        let recorder = FollowRecorder(try FileFollower(path: path, startOffset: 6, startLine: 2))
        #expect(try recorder.drain() == [
            SeenLine(offset: 6, number: 2, length: 6, text: "second", isTooLong: false),
            SeenLine(offset: 13, number: 3, length: 5, text: "third", isTooLong: false),
        ])
        #expect(recorder.notices.isEmpty)
    }

    @Test func startOffsetPastTheEndMeansTruncated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        try append("short\n", to: path)
        let recorder = FollowRecorder(try FileFollower(path: path, startOffset: 5000, startLine: 90))
        #expect(try recorder.drain() == [SeenLine(offset: 0, number: 1, length: 5, text: "short", isTooLong: false)])
        #expect(recorder.notices == [.truncated])
    }

    @Test func truncationStartsOverAndDropsThePartialLine() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        try append("old one\nold two\nunfinished", to: path)
        let recorder = FollowRecorder(try FileFollower(path: path))
        #expect(try recorder.drain().map(\.text) == ["old one", "old two"])
        #expect(truncate(path, 0) == 0)
        try append("new\n", to: path)
        #expect(try recorder.drain() == [SeenLine(offset: 0, number: 1, length: 3, text: "new", isTooLong: false)])
        #expect(recorder.notices == [.truncated])
        #expect(recorder.follower.offset == 4)
    }

    @Test func rotationReadsWritesMadeJustBeforeTheRename() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        try append("a1\na2\n", to: path)
        let recorder = FollowRecorder(try FileFollower(path: path))
        try recorder.drain()
        try append("a3\na4\nhalf-written", to: path)
        #expect(rename(path, directory.path("events.jsonl.1")) == 0)
        try append("b1\nb2\n", to: path)
        recorder.follower.wait(timeoutMilliseconds: 1000)
        var lastOfOld: [String] = []
        let leaving = try recorder.follower.poll { lastOfOld.append($0.text) }
        #expect(lastOfOld == ["a3", "a4"])
        #expect(leaving.notices == [.rotated])
        #expect(!leaving.atEOF)
        #expect(recorder.follower.offset == 0)
        #expect(try recorder.drain() == referenceLines(Array("b1\nb2\n".utf8)))
        #expect(recorder.follower.offset == 6)
    }

    @Test func writesBetweenEndOfFileAndRenameAreRead() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        try append("a1\n", to: path)
        let follower = try FileFollower(path: path)
        var logged = false
        follower.betweenEndAndPathCheck = {
            guard !logged else { return }
            logged = true
            try? append("a2 written after the follower saw the end\n", to: path)
            #expect(rename(path, directory.path("events.jsonl.1")) == 0)
            try? append("b1\n", to: path)
        }
        var seen: [String] = []
        let status = try follower.poll { seen.append($0.text) }
        #expect(seen == ["a1", "a2 written after the follower saw the end"])
        #expect(status.notices == [.rotated])
        _ = try follower.poll { seen.append($0.text) }
        #expect(seen.last == "b1")
    }

    @Test func renamedFileIsFollowedUntilItsSuccessorAppears() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        try append("a1\n", to: path)
        let recorder = FollowRecorder(try FileFollower(path: path))
        try recorder.drain()
        let rotated = directory.path("events.jsonl.1")
        #expect(rename(path, rotated) == 0)
        #expect(try recorder.drain().isEmpty)
        try append("a2 written by a logger that has not reopened yet\n", to: rotated)
        #expect(try recorder.drain().map(\.text) == ["a2 written by a logger that has not reopened yet"])
        #expect(recorder.notices.isEmpty)
        try append("b1\n", to: path)
        #expect(try recorder.drain() == [SeenLine(offset: 0, number: 1, length: 2, text: "b1", isTooLong: false)])
        #expect(recorder.notices == [.rotated])
    }

    @Test func deletionThenRecreation() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        try append("a1\n", to: path)
        let recorder = FollowRecorder(try FileFollower(path: path))
        try recorder.drain()
        try append("a2\ntail", to: path)
        #expect(unlink(path) == 0)
        #expect(try recorder.drain().map(\.text) == ["a2"])
        #expect(recorder.notices == [.deleted])
        #expect(recorder.follower.offset == 0)
        #expect(recorder.follower.identity == nil)
        recorder.follower.wait(timeoutMilliseconds: 20)
        #expect(try recorder.drain().isEmpty)
        try append("b1\n", to: path)
        recorder.follower.wait(timeoutMilliseconds: 1000)
        #expect(try recorder.drain() == [SeenLine(offset: 0, number: 1, length: 2, text: "b1", isTooLong: false)])
        #expect(recorder.notices == [.deleted, .recreated])
        #expect(recorder.follower.identity != nil)
    }

    @Test func waitReturnsWhenNothingChanges() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        try append("x\n", to: path)
        let follower = try FileFollower(path: path)
        #expect(follower.usesInotify)
        follower.wait(timeoutMilliseconds: 10)
        var count = 0
        _ = try follower.poll { _ in count += 1 }
        follower.wait(timeoutMilliseconds: 10)
        #expect(count == 1)
    }

    @Test func openingErrorsSayWhatAndWhere() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("nope.jsonl")
        #expect(throws: IngestError.notFound(path: missing)) { try FileFollower(path: missing) }
        #expect(throws: IngestError.isDirectory(path: directory.url.path)) { try FileFollower(path: directory.url.path) }
        #expect(IngestError.notFound(path: missing).message.contains(missing))
        #expect(IngestError.isDirectory(path: "/tmp").message.contains("directory"))
        let fifo = directory.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: IngestError.self) { try FileFollower(path: fifo) }
    }
}
