import Foundation
import Testing
import ForesightCore

/// An hourly flush's settle running beside the ingest (the deferred path) decides exactly what a settle on the
/// ingest thread does, and whoever reads the runner meanwhile sees it settled.
@Suite struct CampaignBackgroundSettleTests {
    /// Every guard in play: caps, quiet hours that delay, consent on two channels, cooldowns, control groups,
    /// payloads, goals that convert (the exposures' uplift), and timers.
    static let yaml = """
    campaigns:
      cap_per_day: 2
      cap_per_week: 4
      quiet_hours: { from: "21:00", to: "08:00", timezone: Europe/Berlin, mode: delay }
    triggers:
      - { name: order, on: Order Completed, channel: email, template: o, payload: [email, revenue, orders], cooldown: 2d, control: 0.2 }
      - { name: view, on: Product Viewed, when: product_views >= 3, channel: sms, template: v, payload: [product], cooldown: 1d, control: 0.1 }
      - { name: cart, after: Product Added, not_followed_by: Order Completed, within: 1h, channel: email, template: c, payload: [product], cooldown: 1d }
      - { name: quiet week, inactive: 7d, channel: email, template: q, payload: [recency_days], cooldown: 7d, goal: Order Completed, goal_window: 7d }
    """

    struct Outcome: Equatable {
        var decisions: [String]
        var report: CampaignsReport
        var fired: [String]
        var suppressed: [String]
        var histories: [String]
        var backgroundSettles: Int
    }

    /// Replays `lines` in batches of 4,000 on the deferred path (settles beside the ingest) or line by line
    /// (settles on the calling thread), taking the decisions after each batch, then a quiet month of clock.
    static func replay(_ lines: [String], deferred: Bool) throws -> Outcome {
        var p = try campaignPipeline(yaml)
        var decisions: [String] = []
        func take() {
            decisions += takeDecisionLines(&p) { d in
                let payload = d.payload.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
                return "\(d.id) \(d.customerKey) \(d.causeTime) \(d.sendTime) \(d.suppressed?.rawValue ?? "fired") \(payload)"
            }
        }
        for start in stride(from: 0, to: lines.count, by: 4000) {
            let batch = lines[start..<min(lines.count, start + 4000)]
            if deferred {
                for (i, l) in batch.enumerated() {
                    consumeDeferred(&p, l, number: start + i + 1)
                }
                p.flush()
            } else {
                feed(&p, Array(batch))
            }
            p.flushSegments()
            take()
        }
        passQuietMonth(&p)
        take()
        let runner = try #require(p.campaigns)
        func line(_ d: CampaignDecision) -> String { "\(d.id) \(d.customer) \(d.sendTime) \(d.because) \(d.suppressed?.rawValue ?? "fired")" }
        let histories = (0..<UInt32(min(p.engine.profiles.count, 400))).flatMap { c in runner.decisions(of: c).map(line) }
        return Outcome(decisions: decisions, report: runner.report(now: p.engine.watermark), fired: runner.firedFeed.map(line),
                       suppressed: runner.suppressedFeed.map(line), histories: histories, backgroundSettles: runner.backgroundSettles)
    }

    @Test func settlesBesideTheIngestDecideWhatSettlesOnTheIngestThreadDo() throws {
        let lines = SegmentParallelFlushTests.log(customers: 1500, days: 45, seed: 11)
        let inline = try Self.replay(lines, deferred: false)
        let beside = try Self.replay(lines, deferred: true)
        // The deferred path did settle beside the ingest; the line-by-line path never does.
        #expect(inline.backgroundSettles == 0)
        #expect(beside.backgroundSettles > 100, "\(beside.backgroundSettles)")
        // Every guard was exercised: something fired, was held out, delayed, suppressed by each of the caps,
        // consent and cooldowns, and converted.
        let r = inline.report
        #expect(r.fired > 500 && r.heldOut > 20, "\(r.fired) fired, \(r.heldOut) held out")
        for reason in ["no_consent", "cooldown", "cap_day"] {
            #expect(r.triggers.contains { ($0.suppressed[reason] ?? 0) > 0 }, "no decision suppressed by \(reason)")
        }
        #expect(r.triggers.contains { $0.delayed > 0 }, "no message delayed by the quiet hours")
        #expect(r.triggers.contains { $0.conversion.treatedConverted > 0 }, "no conversion credited")
        // Payloads read in the flush (the log's products have no ids: no product field).
        for field in ["email=", "revenue=", "orders=", "recency_days="] {
            #expect(inline.decisions.contains { $0.contains(field) }, "no payload with \(field)")
        }
        #expect(beside.decisions.count == inline.decisions.count)
        let first = zip(beside.decisions, inline.decisions).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(first == nil, "the decisions differ first at \(first?.offset ?? -1): \(first?.element.0 ?? "") vs \(first?.element.1 ?? "")")
        #expect(beside.report == inline.report)
        #expect(beside.fired == inline.fired)
        #expect(beside.suppressed == inline.suppressed)
        #expect(!inline.histories.isEmpty)
        #expect(beside.histories == inline.histories)
    }

    /// A log of 800 customers over 20 days, a pipeline to read it on the deferred path and one to read it line by line.
    static func logAndTwoPipelines(seed: UInt64) throws -> (lines: [String], deferred: IngestPipeline, inline: IngestPipeline) {
        (SegmentParallelFlushTests.log(customers: 800, days: 20, seed: seed), try campaignPipeline(yaml), try campaignPipeline(yaml))
    }

    @Test func aReaderMidBatchSeesTheRunnerSettled() throws {
        var (lines, p, q) = try Self.logAndTwoPipelines(seed: 3)
        var sawSettling = 0
        for (i, l) in lines.enumerated() {
            consumeDeferred(&p, l, number: i + 1)
            if p.campaignsSettling {
                sawSettling += 1
                // What a reader gets while the settle runs: the runner as the ingest thread would have it after
                // the same events (the lines before this one: the deferred path completes a line at the next),
                // read line by line and settled inline.
                feed(&q, Array(lines[q.engine.stats.lines..<i]))
                let reader = try #require(p.campaigns)
                let reference = try #require(q.campaigns)
                #expect(reader.generation == reference.generation)
                #expect(reader.report(now: q.engine.watermark) == reference.report(now: q.engine.watermark))
                #expect(reader.firedFeed == reference.firedFeed)
                if sawSettling >= 25 { break }
            }
        }
        #expect(sawSettling >= 25, "\(sawSettling)")
        // The end of a batch does not wait for the settle; taking the decisions (the outbox's) does.
        p.flush()
        _ = p.updateCampaigns { $0.takeDecisions() }
        #expect(!p.campaignsSettling)
    }

    /// A batch's end does not wait for the settle, so a copy of the pipeline (a reader's, between two batches)
    /// may hold the same settle: whichever copy waits for it first, both end up with the settled tables.
    @Test(arguments: [true, false]) func copiesMadeWhileASettleRunsBothGetItsTables(copyJoinsFirst: Bool) throws {
        var (lines, p, q) = try Self.logAndTwoPipelines(seed: 5)
        var checked = 0
        for (i, l) in lines.enumerated() {
            consumeDeferred(&p, l, number: i + 1)
            guard p.campaignsSettling else { continue }
            p.flush()
            var copy = p
            feed(&q, Array(lines[q.engine.stats.lines...i]))
            let reference = try #require(q.campaigns)
            let now = q.engine.watermark
            // Taking the decisions waits for the settle: in the copy first, or in the original first.
            let first = copyJoinsFirst ? copy.updateCampaigns { $0.takeDecisions() } : p.updateCampaigns { $0.takeDecisions() }
            let second = copyJoinsFirst ? p.updateCampaigns { $0.takeDecisions() } : copy.updateCampaigns { $0.takeDecisions() }
            #expect(first?.map(\.id) == second?.map(\.id))
            for runner in [try #require(p.campaigns), try #require(copy.campaigns)] {
                #expect(runner.report(now: now) == reference.report(now: now))
                #expect(runner.firedFeed == reference.firedFeed)
                #expect(runner.generation == reference.generation)
            }
            _ = q.updateCampaigns { $0.takeDecisions() }
            checked += 1
            if checked >= 10 { break }
        }
        #expect(checked >= 10, "\(checked)")
    }
}

/// Hands `line` to the pipeline's deferred path as line `number`.
private func consumeDeferred(_ p: inout IngestPipeline, _ line: String, number: Int) {
    let bytes = Array(line.utf8)
    bytes.withUnsafeBytes { p.consumeDeferred(Line(bytes: $0, offset: 0, number: number, length: $0.count), quarantine: nil) }
}
