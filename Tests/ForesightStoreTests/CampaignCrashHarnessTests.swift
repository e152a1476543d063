import Foundation
import Testing
import ForesightCore
import ForesightSim
import ForesightTestSupport

/// `kill -9` of `foresight campaigns LOG --outbox OUT --suppressed SPARED` at random moments, rerun until it
/// finishes: the outbox holds every message of an uninterrupted run into a fresh outbox, each once, every line
/// whole JSON, and the suppressed file every decision that sent nothing, each once. The
/// command replays the whole log on each run, so exactly-once rests on the deterministic ids and the ids the
/// outbox reads at open (a torn last line cut, its message written again).
@Suite(.serialized) struct CampaignCrashHarnessTests {
    @Test func killedAtRandomMomentsTheOutboxHoldsEachMessageOnce() throws {
        let dir = try TemporaryDirectory("campaign-crash")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl"), config = dir.file("triggers.yml")
        try Data(Generator.generate(GeneratorOptions(customers: 3_000, days: 60, seed: 4242, badRate: 0.005, duplicateRate: 0.01)).bytes)
            .write(to: URL(fileURLWithPath: log))
        try CampaignFixture.yaml.write(toFile: config, atomically: true, encoding: .utf8)
        func arguments(_ outbox: String) -> [String] {
            ["campaigns", log, "--outbox", outbox, "--suppressed", outbox + ".spared", "--quarantine", "none", "--config", config]
        }

        // The uninterrupted run, timed: the kills fall within a run's length.
        let clean = dir.file("clean.jsonl")
        let started = Date()
        let reference = try ForesightBinary.run(arguments(clean))
        let seconds = Date().timeIntervalSince(started)
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try Self.ids(clean)
        #expect(expected.count > 200)
        let spared = try Self.ids(clean + ".spared")
        #expect(spared.count > 200)

        let out = dir.file("out.jsonl")
        var rng = SimRandom(seed: UInt64(ProcessInfo.processInfo.environment["FORESIGHT_CRASH_SEED"] ?? "") ?? 20261203)
        var kills = 0, runs = 0, grew = 0, unfinished = 0
        var lines = 0
        while kills < 8 && runs < 20 {
            runs += 1
            let child = try Spawned(arguments(out))
            // Later and later into the run (10% to 90% of its length), at a random point of each tenth.
            let fraction = 0.1 + 0.1 * Double(kills) + 0.1 * Double(rng.next() % 1_000) / 1_000
            usleep(UInt32(seconds * 1_000_000 * fraction))
            let killed = child.kill9()
            if killed { kills += 1 }
            let now = try Self.ids(out, allowTorn: true).count
            if killed && now < expected.count { unfinished += 1 }
            if now > lines { grew += 1 }
            lines = now
        }
        #expect(kills >= 6, "only \(kills) of \(runs) runs were killed while running")
        #expect(grew >= 3, "the outbox grew in only \(grew) of the interrupted runs")
        #expect(unfinished >= 3, "only \(unfinished) kills left the outbox unfinished")
        // Rerun until it finishes.
        var finished = false
        for _ in 0..<3 where !finished {
            let rerun = try ForesightBinary.run(arguments(out))
            finished = rerun.status == 0
            #expect(finished, "\(rerun.stderr)")
        }
        let got = try Self.ids(out)
        #expect(Set(got).count == got.count, "\(got.count - Set(got).count) ids appear twice")
        #expect(Set(got) == Set(expected), "missing \(Set(expected).subtracting(got).count), extra \(Set(got).subtracting(expected).count)")
        let gotSpared = try Self.ids(out + ".spared")
        #expect(Set(gotSpared).count == gotSpared.count, "\(gotSpared.count - Set(gotSpared).count) suppressed ids appear twice")
        #expect(Set(gotSpared) == Set(spared))
        // A further run writes nothing.
        let again = try ForesightBinary.run(arguments(out))
        #expect(again.status == 0)
        #expect(try Self.ids(out).count == got.count)
        #expect(try Self.ids(out + ".spared").count == gotSpared.count)
    }

    /// The ids of an outbox's lines, each line parsed as a JSON object with the fields of a message; with
    /// `allowTorn` an unfinished last line (a kill in the middle of a write) is left out.
    static func ids(_ path: String, allowTorn: Bool = false) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let last = lines.removeLast()
        if !allowTorn { #expect(last.isEmpty, "the outbox ends in an unfinished line") }
        return try lines.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            let id = object?["id"] as? String
            #expect(id?.count == 32 && object?["trigger"] is String && object?["customer"] is String && object?["sendAt"] is String,
                    "not a message: \(String(decoding: line, as: UTF8.self))")
            return id ?? ""
        }
    }
}
