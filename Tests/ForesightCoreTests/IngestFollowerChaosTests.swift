import Foundation
import Synchronization
import Testing
@testable import ForesightCore

/// Random appends, polls, rotations, deletions and truncations: every complete line of every
/// version of the file must be handed out exactly once, in order, with its offset and number in
/// that version.
@Suite("FileFollower under random changes")
struct IngestFollowerChaosTests {
    /// What a test writes, version by version (a new version starts with each rotation, re-creation
    /// or truncation).
    struct Model {
        var versions: [[UInt8]] = [[]]
        var expected: [SeenLine] { versions.flatMap { referenceLines($0) } }
    }

    @Test("nothing lost or doubled", arguments: 1...8)
    func randomHistory(seed: UInt64) throws {
        var random = SeededGenerator(state: seed &* 7919)
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        var model = Model()
        try append("", to: path)
        let follower = try FileFollower(path: path, maxLineBytes: 1 << 20)
        var seen: [SeenLine] = []
        var rotations = 0

        func poll(maxBytes: Int) throws -> FollowStatus {
            try follower.poll(maxBytes: maxBytes) { seen.append(SeenLine($0)) }
        }
        func drain() throws {
            while try !poll(maxBytes: 1 << 20).atEOF {}
        }
        /// Before a file is moved or removed, the follower must have opened it: `tail -F` cannot
        /// see a file that came and went between two looks.
        func followerOnCurrentFile() throws {
            if case .file(let current) = POSIXFile.pathState(path), current != follower.identity {
                try drain()
            }
        }

        for _ in 0..<400 {
            let pathExists = FileManager.default.fileExists(atPath: path)
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<50:
                let fragment = randomFragment(using: &random)
                if !pathExists { model.versions.append([]) }
                try append(String(decoding: fragment, as: UTF8.self), to: path)
                model.versions[model.versions.count - 1] += fragment
            case 50..<72:
                _ = try poll(maxBytes: Int.random(in: 1...200, using: &random))
            case 72..<80 where pathExists:
                try followerOnCurrentFile()
                rotations += 1
                #expect(rename(path, path + ".\(rotations)") == 0)
            case 80..<86 where pathExists:
                try followerOnCurrentFile()
                #expect(unlink(path) == 0)
            case 86..<92 where pathExists && !(model.versions.last ?? []).isEmpty:
                // A truncation is seen only if the file is still shorter than what was read at the
                // next poll, so poll on both sides of it.
                try drain()
                #expect(truncate(path, 0) == 0)
                model.versions.append([])
                let status = try poll(maxBytes: 1 << 20)
                #expect(status.notices == [.truncated])
            default:
                follower.wait(timeoutMilliseconds: 0)
            }
        }
        try drain()
        #expect(seen == model.expected)
    }

    /// Tells the logger thread which file the follower has open, so that it rotates only files
    /// the follower has seen (a file created and rotated away between two looks cannot be followed).
    final class FollowedFile: Sendable {
        let inode = Atomic<UInt64>(0)
    }

    @Test func concurrentLoggerRotatingItsFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("events.jsonl")
        let total = 6000
        let followed = FollowedFile()
        try append("", to: path)
        let follower = try FileFollower(path: path)
        followed.inode.store(follower.identity?.inode ?? 0, ordering: .releasing)

        let logger = Thread {
            var descriptor = open(path, O_WRONLY | O_APPEND)
            var rotations = 0
            for index in 0..<total {
                // Half the lines are written in two pieces, so that reads see unfinished lines.
                let text = "line \(index)\n"
                let cut = index % 2 == 0 ? text.utf8.count : 3
                for piece in [text.utf8.prefix(cut), text.utf8.dropFirst(cut)] where !piece.isEmpty {
                    _ = Array(piece).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                }
                if index % 1000 == 990 {
                    var status = stat()
                    fstat(descriptor, &status)
                    while followed.inode.load(ordering: .acquiring) != UInt64(status.st_ino) { usleep(200) }
                    rotations += 1
                    rename(path, path + ".\(rotations)")
                } else if index % 1000 == 999 {
                    // The logger wrote lines 991...999 to the renamed file, then reopens the path.
                    close(descriptor)
                    descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
                }
            }
            close(descriptor)
        }
        logger.start()

        var seen: [String] = []
        var notices: [FollowNotice] = []
        var rounds = 0
        while seen.count < total && rounds < 200_000 {
            rounds += 1
            let status = try follower.poll(maxBytes: 1 << 16) { seen.append($0.text) }
            notices += status.notices
            followed.inode.store(follower.identity?.inode ?? 0, ordering: .releasing)
            if status.atEOF { follower.wait(timeoutMilliseconds: 20) }
        }
        #expect(seen == (0..<total).map { "line \($0)" })
        // The last rotation may not be seen yet: its new file gets no line.
        #expect((total / 1000 - 1...total / 1000).contains(notices.filter { $0 == .rotated }.count))
        #expect(!notices.contains(.truncated) && !notices.contains(.deleted))
    }

    /// A few bytes of JSON-ish text, sometimes with CRLF, empty lines or no newline at all.
    func randomFragment(using random: inout SeededGenerator) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let body = "{\"n\":\(Int.random(in: 0...9999, using: &random))}"
            switch Int.random(in: 0..<10, using: &random) {
            case 0: bytes += Array(body.utf8)
            case 1: bytes += Array("\r\n".utf8)
            case 2: bytes += Array((body + "\r\n").utf8)
            default: bytes += Array((body + "\n").utf8)
            }
        }
        return bytes
    }
}
