import Foundation
import GRDB
import Testing
@testable import ForesightCore
import ForesightSim
import ForesightTestSupport
@testable import ForesightStore

/// The triggers of the campaign state tests and the crash harness: a not-followed-by timer, an inactivity
/// timer and an event trigger, under caps and quiet hours that delay.
enum CampaignFixture {
    static let yaml = """
        campaigns:
          cap_per_day: 2
          cap_per_week: 4
          quiet_hours: { from: "21:00", to: "08:00", timezone: UTC, mode: delay }
        triggers:
          - name: Abandoned cart
            after: Product Added
            not_followed_by: Order Completed
            within: 1h
            channel: email
            template: cart-reminder
            payload: [email, name, product]
            cooldown: 3d
          - name: We miss you
            inactive: 10d
            channel: email
            template: we-miss-you
            payload: [email, recency_days]
            cooldown: 30d
            control: 20%
          - name: Big order
            on: Order Completed where revenue > 100
            channel: sms
            template: thanks
            cooldown: 7d

        """

    static func configuration(_ text: String = yaml) -> CampaignsConfiguration {
        CampaignsConfiguration.parse(yaml: text, file: "test.yml").configuration
    }

    static func runner(_ text: String = yaml) -> CampaignRunner {
        var r = CampaignRunner(configuration: configuration(text))
        r.emitsDecisions = true
        return r
    }

    static let log: [UInt8] = Generator.generate(GeneratorOptions(customers: 1_500, days: 60, seed: 808, badRate: 0.005, duplicateRate: 0.01)).bytes
    static let lineEnds: [Int] = log.enumerated().compactMap { $0.element == 0x0A ? $0.offset + 1 : nil }
}

/// A pipeline with the fixture's triggers that also records, like a dashboard with a state file, the
/// suppressed decisions for the checkpoints.
private func campaignPipeline(checkpointed: Bool = true) -> IngestPipeline {
    var p = IngestPipeline(engine: Engine(), sourceName: "test")
    p.checkpointsCampaigns = checkpointed
    p.setCampaigns(CampaignFixture.runner())
    return p
}

/// Feeds bytes and takes the decisions made.
private func run(_ bytes: ArraySlice<UInt8>, _ p: inout IngestPipeline, _ s: inout LineSplitter, end: Bool) -> [CampaignDecision] {
    feed(bytes, into: &p, splitter: &s)
    if end { p.flushCampaigns() }
    return p.updateCampaigns { $0.takeDecisions() } ?? []
}

private func ids(_ d: [CampaignDecision]) -> [String] { d.map { "\($0.id) \($0.suppressed?.rawValue ?? "fired") \($0.sendTime)" } }

@Suite(.serialized) struct CampaignStateTests {
    /// The whole log in one go, as reference.
    static let reference: (decisions: [CampaignDecision], report: CampaignsReport?) = {
        var p = campaignPipeline()
        var s = LineSplitter()
        let d = run(CampaignFixture.log[...], &p, &s, end: true)
        return (d, p.campaigns?.report(now: p.engine.watermark))
    }()

    @Test func theFixtureExercisesEveryPartOfTheState() {
        let d = Self.reference.decisions
        #expect(d.filter(\.fired).count > 100)
        #expect(d.contains { $0.suppressed == .heldOut })
        #expect(d.contains { $0.suppressed == .cooldown || $0.suppressed == .capDay || $0.suppressed == .capWeek || $0.suppressed == .noConsent })
        #expect(d.contains { $0.delayed })
        #expect(Set(d.map(\.trigger)).count == 3)
    }

    /// A rerun over the same log with the outbox's ids (the campaigns command after a crash) counts the
    /// messages already out as sent at the time they went out: quiet-hours delays included, the same report.
    @Test func aReplayWithTheOutboxsIdsDecidesAsTheFirstRun() throws {
        var p = IngestPipeline(engine: Engine(), sourceName: "test")
        var runner = CampaignFixture.runner()
        let fired = Self.reference.decisions.filter(\.fired)
        runner.delivered = Set(fired.prefix(fired.count / 2).map(\.id))
        p.setCampaigns(runner)
        var s = LineSplitter()
        let again = run(CampaignFixture.log[...], &p, &s, end: true)
        #expect(ids(again.filter(\.fired)) == ids(Array(fired.dropFirst(fired.count / 2))))
        #expect(ids(again.filter { !$0.fired }) == ids(Self.reference.decisions.filter { !$0.fired }))
        #expect(p.campaigns?.report(now: p.engine.watermark) == Self.reference.report)
    }

    @Test func anEncodedStateDecodesToTheSameStateAndADamagedOneIsRefused() throws {
        var p = campaignPipeline()
        var s = LineSplitter()
        let cut = CampaignFixture.lineEnds[CampaignFixture.lineEnds.count / 2]
        _ = run(CampaignFixture.log[..<cut], &p, &s, end: false)
        let state = try #require(p.campaigns).exportState(engineLines: p.engine.stats.lines)
        #expect(state.timerCount > 0)
        let bytes = state.encoded()
        let decoded = try CampaignRunnerState(decoding: bytes)
        #expect(decoded == state)
        #expect(decoded.encoded() == bytes)
        #expect(CampaignRunnerState.header(bytes)?.epoch == p.campaigns?.epoch)
        #expect(throws: CampaignStateError.self) { try CampaignRunnerState(decoding: Array(bytes.dropLast(3))) }
        var other = bytes
        other[0] = 9
        #expect(throws: CampaignStateError.self) { try CampaignRunnerState(decoding: other) }
    }

    /// A checkpoint at a line in the middle, restored into a new pipeline (the runner set before or after the
    /// state is handed over), read on to the end: the same decisions and report as the whole log at once.
    @Test(arguments: [false, true]) func aRestoredRunnerDecidesTheRestAsAnUninterruptedOne(runnerFirst: Bool) throws {
        let dir = try TemporaryDirectory("campaign-restore")
        defer { dir.cleanup() }
        let cut = CampaignFixture.lineEnds[CampaignFixture.lineEnds.count * 2 / 5]
        var first = campaignPipeline()
        var splitter = LineSplitter()
        let before = run(CampaignFixture.log[..<cut], &first, &splitter, end: false)
        let store = try StateStore(path: dir.file("s.sqlite"))
        var written = WrittenState()
        var engine = first.engine
        _ = try store.writeCheckpoint(engine.exportState(), position: position(offset: cut, line: splitter.nextLineNumber), appliedSuppression: 0,
                                      written: &written, campaigns: first.campaignsSnapshot)

        let loaded = try #require(try StateStore(path: dir.file("s.sqlite")).loadCheckpoint())
        let saved = try #require(loaded.campaigns)
        #expect(saved.timerCount == first.campaigns?.timerCount)
        var second = IngestPipeline(engine: loaded.engine, sourceName: "test")
        second.checkpointsCampaigns = true
        if runnerFirst {
            second.setCampaigns(CampaignFixture.runner())
            second.restoreCampaigns(saved)
        } else {
            second.restoreCampaigns(saved)
            #expect(second.savedCampaigns != nil)
            second.setCampaigns(CampaignFixture.runner())
        }
        #expect(second.savedCampaigns == nil)
        #expect(second.campaignNotices.isEmpty)
        #expect(second.campaigns?.epoch == first.campaigns?.epoch)
        let after = run(CampaignFixture.log[cut...], &second, &splitter, end: true)
        #expect(ids(before + after) == ids(Self.reference.decisions))
        #expect(second.campaigns?.report(now: second.engine.watermark) == Self.reference.report)
    }

    @Test func aStateOfOtherTriggersIsNotAppliedAndANoticeSaysSo() throws {
        var first = campaignPipeline()
        var s = LineSplitter()
        _ = run(CampaignFixture.log[..<CampaignFixture.lineEnds[2_000]], &first, &s, end: false)
        let saved = try #require(first.campaignsSnapshot.checkpoint()).state
        var second = IngestPipeline(engine: first.engine, sourceName: "test")
        second.restoreCampaigns(try CampaignRunnerState(decoding: saved))
        let changed = CampaignFixture.yaml.replacingOccurrences(of: "within: 1h", with: "within: 2h")
        second.setCampaigns(CampaignFixture.runner(changed))
        #expect(second.campaignNotices.count == 1)
        #expect(second.campaignNotices.first?.contains("changed since the state was saved") == true)
        #expect(second.campaigns?.timerCount == 0)
        #expect(second.campaigns?.epoch != first.campaigns?.epoch)
        // The same triggers restore.
        var third = IngestPipeline(engine: first.engine, sourceName: "test")
        third.setCampaigns(CampaignFixture.runner())
        third.restoreCampaigns(try CampaignRunnerState(decoding: saved))
        #expect(third.campaignNotices.isEmpty)
        #expect(third.campaigns?.timerCount == first.campaigns?.timerCount)
    }

    /// The suppressed and held-out decisions go to `campaign_suppressed` once each, across checkpoints and
    /// a restore that reads part of the log again; `forget` removes a customer's rows and decisions.
    @Test func suppressedDecisionsAreStoredOnceAndErasedWithTheirCustomer() throws {
        let dir = try TemporaryDirectory("campaign-suppressed")
        defer { dir.cleanup() }
        let path = dir.file("s.sqlite")
        let ends = CampaignFixture.lineEnds
        let cuts = [ends[ends.count / 4], ends[ends.count / 2], ends[ends.count * 3 / 4]]
        var p = campaignPipeline()
        var splitter = LineSplitter()
        var written = WrittenState()
        let store = try StateStore(path: path)
        func checkpoint(_ p: IngestPipeline, at offset: Int) throws {
            var engine = p.engine
            _ = try store.writeCheckpoint(engine.exportState(), position: position(offset: offset, line: splitter.nextLineNumber),
                                          appliedSuppression: 0, written: &written, campaigns: p.campaignsSnapshot)
        }
        _ = run(CampaignFixture.log[..<cuts[0]], &p, &splitter, end: false)
        try checkpoint(p, at: cuts[0])
        try checkpoint(p, at: cuts[0])  // nothing new: no row twice
        _ = run(CampaignFixture.log[cuts[0]..<cuts[1]], &p, &splitter, end: false)
        try checkpoint(p, at: cuts[1])
        // Killed after reading on to the third cut, without a checkpoint: a restart reads it again.
        var lost = splitter
        _ = run(CampaignFixture.log[cuts[1]..<cuts[2]], &p, &lost, end: false)
        let loaded = try #require(try store.loadCheckpoint())
        var again = IngestPipeline(engine: loaded.engine, sourceName: "test")
        again.checkpointsCampaigns = true
        again.restoreCampaigns(loaded.campaigns)
        again.setCampaigns(CampaignFixture.runner())
        written = loaded.written
        _ = run(CampaignFixture.log[cuts[1]...], &again, &splitter, end: true)
        try checkpoint(again, at: CampaignFixture.log.count)

        let spared = Self.reference.decisions.filter { !$0.fired }
        #expect(spared.count < StateStore.suppressedDecisionsKept)
        let queue = try DatabaseQueue(path: path)
        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT action_id, customer, reason, cause_time_ms FROM campaign_suppressed ORDER BY id") }
        #expect(rows.map { "\($0["action_id"] as String) \($0["reason"] as String)" } == spared.map { "\($0.id) \($0.suppressed?.rawValue ?? "")" })
        #expect(try store.info().suppressedDecisions == spared.count)
        #expect(try store.info().campaignState)

        // Erase the customer with the most suppressed decisions.
        let counts = Dictionary(grouping: spared, by: \.customerKey).mapValues(\.count)
        let victim = try #require(counts.max { $0.value < $1.value }?.key)
        let before = try #require(try store.loadCheckpoint()?.campaigns)
        let victimID = try #require(again.engine.customers.lookup(victim))
        try queue.close()
        _ = try store.forget(customerID: victim, by: "test")
        #expect(try store.info().suppressedDecisions == spared.count - (counts[victim] ?? 0))
        let check = try DatabaseQueue(path: path)
        #expect(try check.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign_suppressed WHERE customer = ?", arguments: [victim]) } == 0)
        try check.close()
        let after = try #require(try store.loadCheckpoint()?.campaigns)
        var expected = before
        expected.customersErased([victimID])
        #expect(after == expected)
        #expect(after.epoch == before.epoch && after.suppressedSequence == before.suppressedSequence)
        // The runner in memory forgets her decisions too.
        again.forget(customerKeys: [victim])
        #expect(again.campaigns?.suppressedDecisions(after: 0).contains { $0.decision.customerKey == victim } == false)
        #expect(again.campaigns?.suppressedFeed.contains { $0.customerKey == victim } == false)
    }

    @Test func aPipelineWithoutTriggersKeepsTheSavedStateAndAFreshEngineRemovesIt() throws {
        let dir = try TemporaryDirectory("campaign-keep")
        defer { dir.cleanup() }
        var p = campaignPipeline()
        var s = LineSplitter()
        _ = run(CampaignFixture.log[..<CampaignFixture.lineEnds[3_000]], &p, &s, end: false)
        let store = try StateStore(path: dir.file("s.sqlite"))
        var written = WrittenState()
        var engine = p.engine
        _ = try store.writeCheckpoint(engine.exportState(), position: nil, appliedSuppression: 0, written: &written, campaigns: p.campaignsSnapshot)
        // A `report` run: the saved state waits in the pipeline and is written back as it was.
        let loaded = try #require(try store.loadCheckpoint())
        var report = IngestPipeline(engine: loaded.engine, sourceName: "test")
        report.restoreCampaigns(loaded.campaigns)
        engine = report.engine
        _ = try store.writeCheckpoint(engine.exportState(), position: nil, appliedSuppression: 0, written: &written, campaigns: report.campaignsSnapshot)
        #expect(try store.loadCheckpoint()?.campaigns == loaded.campaigns)
        // A fresh engine (--reset-state) has no campaign state to go with it.
        var fresh = IngestPipeline(engine: Engine(), sourceName: "test")
        engine = fresh.engine
        _ = try store.writeCheckpoint(engine.exportState(), position: nil, appliedSuppression: 0, written: &written, campaigns: fresh.campaignsSnapshot)
        #expect(try store.loadCheckpoint()?.campaigns == nil)
        fresh.setCampaigns(CampaignFixture.runner())
        #expect(fresh.campaignNotices.isEmpty)
    }
}

/// The outbox: a torn last line is cut when the file is opened, and its message written again, once.
@Suite struct CampaignOutboxTests {
    static func decision(_ n: Int) -> CampaignDecision {
        CampaignDecision(id: CampaignHash.actionID(trigger: "T", customerKey: "u\(n)", cause: "event", time: Int64(n)), trigger: "T",
                         triggerIndex: 0, customer: UInt32(n), customerKey: "u\(n)", channel: .email, template: "t",
                         payload: [("email", .text("u\(n)@example.com"))], causeTime: Int64(n), sendTime: Int64(n),
                         because: "test", suppressed: nil, delayed: false)
    }

    @Test func aTornLastLineIsCutAndItsMessageWrittenAgainOnce() throws {
        let dir = try TemporaryDirectory("outbox-torn")
        defer { dir.cleanup() }
        let path = dir.file("out.jsonl")
        let all = (1...3).map(Self.decision)
        do {
            let box = try Outbox(path: path)
            #expect(try box.append(Array(all[..<2])) == 2)
        }
        // A crash in the middle of the third line's write.
        let torn = Array(all[2].jsonLine.utf8.prefix(25))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(torn))
        try handle.close()
        let box = try Outbox(path: path)
        #expect(box.linesAtOpen == 2)
        #expect(box.tornBytesCut == torn.count)
        #expect(box.ids == Set(all[..<2].map(\.id)))
        // The replay hands over all three again: only the third is written, and only once.
        #expect(try box.append(all) == 1)
        #expect(try box.append(all) == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "")
        #expect(lines.dropLast().map(String.init) == all.map(\.jsonLine))
        #expect(try Outbox(path: path).linesAtOpen == 3)
    }
}
