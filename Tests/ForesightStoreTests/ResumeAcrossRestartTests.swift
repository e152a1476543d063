import Foundation
import Testing
import ForesightCore
import ForesightSim
import ForesightStore
import ForesightTestSupport

/// What happened to the log while Foresight was not running: it grew, was rotated, truncated, replaced
/// or copied. Each case is compared with a clean replay of what a live follower would have read.
@Suite struct ResumeAcrossRestartTests {
    static let bytes = Generator.generate(GeneratorOptions(customers: 500, days: 20, seed: 5, duplicateRate: 0.02)).bytes
    static let ends: [Int] = bytes.enumerated().compactMap { $0.element == 0x0A ? $0.offset + 1 : nil }
    /// Three pieces of the log, cut at line ends.
    static var a: ArraySlice<UInt8> { bytes[..<ends[ends.count / 3]] }
    static var b: ArraySlice<UInt8> { bytes[ends[ends.count / 3]..<ends[ends.count / 2]] }
    static var c: ArraySlice<UInt8> { bytes[ends[ends.count / 2]...] }

    func write(_ bytes: ArraySlice<UInt8>, to path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    func append(_ bytes: ArraySlice<UInt8>, to path: String) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        try h.write(contentsOf: Data(bytes))
        try h.close()
    }

    func report(_ log: String, state: String?) throws -> (out: String, err: String) {
        let r = try ForesightBinary.run(["report", log, "--json", "--quarantine", "none"] + (state.map { ["--state", $0] } ?? ["--no-state"]))
        #expect(r.status == 0, "\(r.stderr)")
        return (r.stdout, r.stderr)
    }

    /// The report of a clean replay of `pieces` concatenated.
    func expected(_ pieces: [ArraySlice<UInt8>], in dir: TemporaryDirectory) throws -> String {
        let path = dir.file("expected.jsonl")
        try write(ArraySlice(pieces.flatMap { Array($0) }), to: path)
        return try report(path, state: nil).out
    }

    /// `--state none` is no state file (as `--quarantine none` is no quarantine), not a file named `none`.
    @Test func stateNoneWritesNoStateFile() throws {
        let dir = try TemporaryDirectory("resume-state-none")
        let log = dir.file("a.jsonl")
        try write(Self.a, to: log)
        let cwdNone = FileManager.default.currentDirectoryPath + "/none"
        let existed = FileManager.default.fileExists(atPath: cwdNone)
        let r = try ForesightBinary.run(["report", log, "--json", "--quarantine", "none", "--state", "none"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == (try report(log, state: nil).out))
        #expect(!FileManager.default.fileExists(atPath: StateStore.defaultPath(forLog: log)))
        #expect(FileManager.default.fileExists(atPath: cwdNone) == existed)
    }

    @Test func rotatedWhileStoppedTheOldFileIsFinishedThenTheNewOneRead() throws {
        let dir = try TemporaryDirectory("resume-rotate")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl"), state = dir.file("s.sqlite")
        try write(Self.a, to: log)
        _ = try report(log, state: state)
        // While stopped: more lines in the old file, then logrotate renames it and a new file starts.
        try append(Self.b, to: log)
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try write(Self.c, to: log)
        let resumed = try report(log, state: state)
        #expect(resumed.err.contains("rotated since the checkpoint"))
        #expect(resumed.out == (try expected([Self.a, Self.b, Self.c], in: dir)))
    }

    @Test func truncatedWhileStoppedTheFileIsReadAgainFromTheStart() throws {
        let dir = try TemporaryDirectory("resume-truncate")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl"), state = dir.file("s.sqlite")
        try write(Self.a[...] + Self.b, to: log)
        _ = try report(log, state: state)
        // copytruncate: the same inode, emptied, then new lines (fewer bytes than the checkpoint's offset).
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try h.truncate(atOffset: 0)
        try h.close()
        let shortC = Self.c.prefix(Self.b.count / 2)
        let cut = shortC.lastIndex(of: 0x0A).map { $0 + 1 } ?? shortC.startIndex
        try append(Self.c[Self.c.startIndex..<cut], to: log)
        let resumed = try report(log, state: state)
        #expect(resumed.err.contains("truncated since the checkpoint"))
        #expect(resumed.out == (try expected([Self.a, Self.b, Self.c[Self.c.startIndex..<cut]], in: dir)))
    }

    @Test func replacedByAnotherFileItIsReadFromTheStartAndACopyResumes() throws {
        let dir = try TemporaryDirectory("resume-replace")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl"), state = dir.file("s.sqlite")
        try write(Self.a, to: log)
        _ = try report(log, state: state)
        // Replaced by a different file (written elsewhere and renamed over it; the old one is gone).
        try write(Self.c, to: dir.file("tmp"))
        try FileManager.default.removeItem(atPath: log)
        try FileManager.default.moveItem(atPath: dir.file("tmp"), toPath: log)
        let replaced = try report(log, state: state)
        #expect(replaced.err.contains("another file than at the checkpoint"))
        #expect(replaced.out == (try expected([Self.a, Self.c], in: dir)))
        // A copy of the same log (new inode, same first bytes, longer): resumed at the offset.
        try write(Self.c[...] + Self.b, to: dir.file("copy"))
        try FileManager.default.removeItem(atPath: log)
        try FileManager.default.moveItem(atPath: dir.file("copy"), toPath: log)
        let copied = try report(log, state: state)
        #expect(copied.err.contains("a copy of the same log"))
        #expect(copied.out == (try expected([Self.a, Self.c, Self.b], in: dir)))
    }

    @Test func aStateOfAnotherLogIsRefusedAndResetStateRebuildsIt() throws {
        let dir = try TemporaryDirectory("resume-other")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl"), other = dir.file("other.jsonl"), state = dir.file("s.sqlite")
        try write(Self.a, to: log)
        try write(Self.b, to: other)
        _ = try report(log, state: state)
        let refused = try ForesightBinary.run(["report", other, "--json", "--quarantine", "none", "--state", state])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("follows") && refused.stderr.contains("--reset-state"))
        let rebuilt = try ForesightBinary.run(["report", other, "--json", "--quarantine", "none", "--state", state, "--reset-state"])
        #expect(rebuilt.status == 0)
        #expect(rebuilt.stdout == (try report(other, state: nil).out))
    }
}
