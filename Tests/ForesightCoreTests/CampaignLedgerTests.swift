import Foundation
import Testing
@testable import ForesightCore
import ForesightTestSupport

/// The inactivity ledger (one bucket per hour of customers' last events, scanned by each flush) and the waits
/// that never start because their `when` rule is false for good.
@Suite struct CampaignLedgerTests {
    static let quiet = """
    triggers:
      - { name: Miss, inactive: 3d, channel: email, template: m, cooldown: none, control: 0 }
    """

    @Test func aCustomerBackAfterTheQuietPeriodButBeforeAFlushSawItStillGetsItsMessage() throws {
        var p = try campaignPipeline(Self.quiet)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), track("ann", "Page Viewed", "2026-01-01T10:00:00Z")])
        #expect(settle(&p, at: "2026-01-02T00:00:00Z").isEmpty)
        // Back half an hour after the three days ended, no flush in between: the period still counts, once.
        feed(&p, [track("ann", "Page Viewed", "2026-01-04T10:30:00Z")])
        let d = settle(&p, at: "2026-01-04T11:00:00Z")
        #expect(d.map(\.causeTime) == [ms("2026-01-04T10:00:00Z")])
        #expect(settle(&p, at: "2026-01-07T10:00:00Z").isEmpty)
        #expect(settle(&p, at: "2026-01-07T10:30:00Z").map(\.causeTime) == [ms("2026-01-07T10:30:00Z")])
        #expect(settle(&p, at: "2026-02-01T00:00:00Z").isEmpty)
    }

    @Test func aCustomerBackWithinThePeriodStartsAFreshOne() throws {
        var p = try campaignPipeline(Self.quiet)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), track("ann", "Page Viewed", "2026-01-01T10:00:00Z"),
                  track("ann", "Page Viewed", "2026-01-03T10:00:00Z")])
        #expect(settle(&p, at: "2026-01-05T00:00:00Z").isEmpty)
        #expect(settle(&p, at: "2026-01-06T10:00:00Z").map(\.causeTime) == [ms("2026-01-06T10:00:00Z")])
    }

    @Test func anEventFarBehindTheClockGetsItsQuietPeriodAtTheNextFlush() throws {
        var p = try campaignPipeline(Self.quiet)
        feed(&p, [identify("ann", "2026-02-01T09:00:00Z"), track("ann", "Page Viewed", "2026-02-01T10:00:00Z")])
        #expect(settle(&p, at: "2026-02-01T11:00:00Z").isEmpty)
        // Bob's only event is a month behind the clock: his three days are long over.
        feed(&p, [identify("bob", "2026-01-01T09:00:00Z"), track("bob", "Page Viewed", "2026-01-01T10:00:00Z")])
        let d = settle(&p, at: "2026-02-01T12:00:00Z")
        #expect(d.map(\.customerKey) == ["bob"])
        #expect(d.map(\.causeTime) == [ms("2026-01-04T10:00:00Z")])
        #expect(settle(&p, at: "2026-02-04T10:00:00Z").map(\.customerKey) == ["ann"])
    }

    @Test func theWaitingCountFollowsTheCustomersWhosePeriodIsStillOpen() throws {
        var p = try campaignPipeline(Self.quiet)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), track("ann", "Page Viewed", "2026-01-01T10:00:00Z"),
                  identify("bob", "2026-01-01T09:00:00Z"), track("bob", "Page Viewed", "2026-01-02T10:00:00Z")])
        _ = settle(&p, at: "2026-01-02T11:00:00Z")
        #expect(p.campaigns?.quietCount == 2)
        #expect(settle(&p, at: "2026-01-04T12:00:00Z").map(\.customerKey) == ["ann"])
        _ = settle(&p, at: "2026-01-06T00:00:00Z")
        #expect(p.campaigns?.quietCount == 0)
        #expect(p.campaigns?.hasWork == false)
    }

    /// Many customers over weeks, the flushes at every hour: each quiet stretch of each trigger fires once, at
    /// the last event + the period, exactly when no event came in between (checked against the timelines).
    @Test func everyQuietStretchFiresOnceAtItsEnd() throws {
        var p = try campaignPipeline("""
        triggers:
          - { name: Two days, inactive: 2d, channel: email, template: a, cooldown: none, control: 0 }
          - { name: Five days, inactive: 5d, channel: email, template: b, cooldown: none, control: 0 }
        """)
        var lines: [String] = []
        var rng = SplitMix64(seed: 5)
        var times: [String: [Int64]] = [:]
        let start = ms("2026-01-01T00:00:00Z")
        for i in 0..<40 {
            lines.append(identify("u\(i)", "2026-01-01T00:00:00Z"))
            times["u\(i)"] = [start]
        }
        var t = start
        for _ in 0..<1_500 {
            t += Int64(rng.next() % 3_600_000)
            let u = "u\(rng.next() % 40)"
            times[u, default: []].append(t)
            lines.append(track(u, "Page Viewed", Timestamp.iso8601(t)))
        }
        feed(&p, lines)
        let end = t + 6 * 86_400_000
        let d = settle(&p, at: Timestamp.iso8601(end))
        var expected: [String] = []
        for (u, list) in times {
            for (k, e) in list.enumerated() {
                for (name, period) in [("Two days", Int64(2 * 86_400_000)), ("Five days", Int64(5 * 86_400_000))] {
                    let next = k + 1 < list.count ? list[k + 1] : Int64.max
                    if next > e + period && e + period <= end { expected.append("\(name) \(u) \(e + period)") }
                }
            }
        }
        let got = d.map { "\($0.trigger) \($0.customerKey) \($0.causeTime)" }
        #expect(got.count > 40)
        #expect(got.sorted() == expected.sorted(), "missing \(Set(expected).subtracting(got).sorted().prefix(5)), extra \(Set(got).subtracting(expected).sorted().prefix(5))")
        #expect(Set(d.map(\.id)).count == d.count)
    }

    // MARK: - Waits that cannot fire

    @Test func aRuleBoundedAboveOnACountThatOnlyGrowsStaysFalse() throws {
        var p = IngestPipeline(sourceName: "t")
        feed(&p, [track("ann", "Product Added", "2026-01-01T10:00:00Z"), track("ann", "Product Added", "2026-01-01T10:01:00Z"),
                  track("ann", "Product Viewed", "2026-01-01T10:02:00Z")])
        func stays(_ text: String) throws -> Bool {
            let rule = try CompiledRule.compile(text).get()
            return RuleInput.with(profile: p.engine.profiles[0], traits: nil, now: 0) { rule.staysFalse($0) }
        }
        #expect(try stays("cart_adds = 0"))
        #expect(try stays("cart_adds < 2"))
        #expect(try stays("cart_adds <= 1 and product_views >= 30"))
        #expect(try stays("cart_adds between 0 and 1"))
        #expect(try stays("cart_adds in [0, 1]"))
        #expect(try stays("cart_adds = 0 or checkouts > 1") == false)
        #expect(try stays("cart_adds = 0 or product_views = 0"))
        #expect(try stays("cart_adds >= 3") == false)  // more adds make it true
        #expect(try stays("cart_adds = 2") == false)   // true now
        #expect(try stays("orders = 0") == false)       // a cancelled order lowers the count
        #expect(try stays("not cart_adds >= 1") == false)
    }

    @Test func aWaitWhoseRuleIsFalseForGoodNeverStartsAndTheOthersStillFire() throws {
        var p = try campaignPipeline("""
        triggers:
          - { name: Browsed, after: Product Viewed, not_followed_by: Product Added, within: 1h, when: cart_adds = 0, channel: email, template: b, cooldown: none, control: 0 }
        """)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), identify("bob", "2026-01-01T09:00:00Z"),
                  track("ann", "Product Added", "2026-01-01T10:00:00Z"),
                  track("ann", "Product Viewed", "2026-01-01T10:05:00Z"),
                  track("bob", "Product Viewed", "2026-01-01T10:06:00Z")])
        #expect(p.campaigns?.timerCount == 1)  // bob's wait only
        let d = settle(&p, at: "2026-01-01T12:00:00Z")
        #expect(d.map(\.customerKey) == ["bob"])
        #expect(d.map(\.causeTime) == [ms("2026-01-01T11:06:00Z")])
    }

    @Test func anEventTriggerWhoseRuleIsFalseForGoodStopsAskingAndStillFiresForOthers() throws {
        var p = try campaignPipeline("""
        triggers:
          - { name: First checkout, on: Checkout Started, when: checkouts = 1, channel: email, template: f, cooldown: none, control: 0 }
        """)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), identify("bob", "2026-01-01T09:00:00Z"),
                  track("ann", "Checkout Started", "2026-01-01T10:00:00Z"),
                  track("ann", "Checkout Started", "2026-01-01T10:05:00Z"),
                  track("ann", "Checkout Started", "2026-01-01T10:06:00Z"),
                  track("bob", "Checkout Started", "2026-01-01T10:07:00Z")])
        let d = settle(&p, at: "2026-01-01T12:00:00Z")
        #expect(d.map { "\($0.customerKey) \($0.causeTime)" } == ["ann \(ms("2026-01-01T10:00:00Z"))", "bob \(ms("2026-01-01T10:07:00Z"))"])
        #expect(p.campaigns?.neverFires(0, 0) == true)
    }

    // MARK: - State

    /// A runner started on a log already read (a trigger added while running) follows each customer's quiet
    /// period from her latest event, not from her next one; periods that ended before it started do not fire.
    @Test func aRunnerStartedOnALogAlreadyReadCountsFromEachCustomersLatestEvent() throws {
        var p = IngestPipeline(sourceName: "t")
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), track("ann", "Page Viewed", "2026-01-01T10:00:00Z"),
                  identify("bob", "2025-12-01T09:00:00Z"), track("bob", "Page Viewed", "2025-12-01T10:00:00Z"),
                  identify("cem", "2026-01-02T09:00:00Z"), track("cem", "Page Viewed", "2026-01-02T10:00:00Z")])
        let configuration = try #require(try campaignPipeline(Self.quiet).campaigns?.configuration)
        var runner = CampaignRunner(configuration: configuration)
        runner.emitsDecisions = true
        p.setCampaigns(runner)
        #expect(p.campaigns?.quietCount == 2)
        // Ann's three days end on the 4th, Cem's on the 5th; Bob's ended in December, before the runner started.
        #expect(settle(&p, at: "2026-01-04T10:00:00Z").map(\.customerKey) == ["ann"])
        // Cem's next event comes after her period ended and before a flush saw it: still her message, once.
        feed(&p, [track("cem", "Page Viewed", "2026-01-05T11:00:00Z")])
        #expect(settle(&p, at: "2026-01-05T12:00:00Z").map(\.causeTime) == [ms("2026-01-05T10:00:00Z")])
        #expect(settle(&p, at: "2026-01-30T00:00:00Z").map(\.customerKey) == ["cem"])
    }

    /// A state of format 1 (per-customer inactivity timer bits) still loads: its inactivity timers are dropped
    /// and the ledger starts from the engine's profiles at the engine's clock.
    @Test func aFormatOneStateLoadsAndTheLedgerTakesOver() throws {
        var p = try campaignPipeline(Self.quiet)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), track("ann", "Page Viewed", "2026-01-01T10:00:00Z")])
        _ = settle(&p, at: "2026-01-02T00:00:00Z")
        let runner = try #require(p.campaigns)
        var a = runner.exportState(engineLines: p.engine.stats.lines), b = a
        a.quietScanned = 0x0101_0101_0101_0101
        b.quietScanned = 0x0202_0202_0202_0202
        let ea = a.encoded(), eb = b.encoded()
        let at = try #require(ea.indices.first { ea[$0] != eb[$0] })
        // Format 1 had two empty arrays (a UInt32 count each) and a flag where format 2 has a flag and a clock.
        var old = ea
        old[0] = 1
        old.replaceSubrange((at - 1)..<(at + 8), with: [UInt8](repeating: 0, count: 9))
        // Nor had it the score triggers' sides (format 3: a flag at the end, 0 here).
        #expect(old.last == 0)
        old.removeLast()
        let decoded = try CampaignRunnerState(decoding: old)
        #expect(decoded.quietScanned == nil)
        var q = restoredPipeline(engine: p.engine, configuration: runner.configuration, state: decoded)
        #expect(q.campaignNotices.isEmpty)
        #expect(q.campaigns?.quietCount == 1)
        #expect(settle(&q, at: "2026-01-04T10:00:00Z").map(\.customerKey) == ["ann"])
    }
}
