import Foundation
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
