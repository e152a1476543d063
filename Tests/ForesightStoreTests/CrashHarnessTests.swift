import Foundation
import Testing
import ForesightCore
import ForesightSim
import ForesightTestSupport

/// Runs the built binary in the background and kills it with SIGKILL.
struct Spawned {
    let process: Process

    init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: try ForesightBinary.path())
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Kills the process with SIGKILL (if still running) and waits for it.
    /// - Returns: whether it was still running.
    @discardableResult
    func kill9() -> Bool {
        let running = process.isRunning
        if running { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return running && process.terminationReason == .uncaughtSignal
    }
}

/// `kill -9` at random moments of a replay that checkpoints every 20 ms, while the log grows (cut anywhere,
/// in the middle of lines too): after each kill a restart resumes from the last checkpoint, and the final
/// report equals a clean replay of the whole file.
@Suite(.serialized) struct CrashHarnessTests {
    @Test func killedTwentyTimesTheStateStillEqualsACleanReplay() throws {
        let dir = try TemporaryDirectory("crash-harness")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl"), state = dir.file("events.state")
        let bytes = Generator.generate(GeneratorOptions(customers: 4_000, days: 45, seed: 31, badRate: 0.01, duplicateRate: 0.02)).bytes
        var rng = SimRandom(seed: UInt64(ProcessInfo.processInfo.environment["FORESIGHT_CRASH_SEED"] ?? "") ?? 20261202)
        // A third of the log at first, then more after each kill.
        var written = bytes.count / 3
        try Data(bytes[..<written]).write(to: URL(fileURLWithPath: log))
        var kills = 0, runs = 0
        let args = ["report", log, "--json", "--quarantine", "none", "--state", state, "--checkpoint-every", "0.02"]
        while kills < 22 && runs < 80 {
            runs += 1
            let child = try Spawned(args)
            usleep(UInt32(20_000 + rng.next() % 300_000))
            if child.kill9() { kills += 1 }
            if written < bytes.count {
                let grow = min(bytes.count - written, Int(rng.next() % UInt64(bytes.count / 25)) + 1)
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(bytes[written..<written + grow]))
                try handle.close()
                written += grow
            }
        }
        #expect(kills >= 20, "only \(kills) of \(runs) runs were killed while running")
        if written < bytes.count {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(bytes[written...]))
            try handle.close()
        }
        let restarted = try ForesightBinary.run(args)
        #expect(restarted.status == 0, "\(restarted.stderr)")
        let clean = try ForesightBinary.run(["report", log, "--json", "--quarantine", "none", "--no-state"])
        #expect(clean.status == 0)
        #expect(restarted.stdout == clean.stdout, "after \(kills) kills:\n\(Snapshot.lineDiff(expected: clean.stdout, actual: restarted.stdout))")
        // And once more from the final checkpoint alone.
        let again = try ForesightBinary.run(args)
        #expect(again.stdout == clean.stdout)
    }
}
