import Testing
import ForesightCore
import ForesightTestSupport

private let day: Int64 = 86_400_000

private func event(_ user: String, _ name: String, _ time: String, _ extra: String = "") -> String {
    "{\"type\":\"track\",\"event\":\"\(name)\",\"userId\":\"\(user)\",\"timestamp\":\"\(time)\"\(extra)}"
}

private func identify(_ user: String, _ time: String, _ traits: String) -> String {
    "{\"type\":\"identify\",\"userId\":\"\(user)\",\"timestamp\":\"\(time)\",\"traits\":{\(traits)}}"
}

private func segments(_ rules: [(String, String)]) throws -> SegmentMembership {
    SegmentMembership(segments: try rules.map { RuleSegment(name: $0.0, rule: try CompiledRule.compile($0.1).get()) })
}

private struct FixedScores: SegmentScoreProvider {
    var churn: Double?
    func scores(for customer: UInt32) -> SegmentScores { SegmentScores(churnRisk: churn) }
}

@Suite struct SegmentMembershipTests {
    @Test func recencyExitsByTheClockExactlyAfterSevenDays() throws {
        var engine = Engine()
        engine.ingest(lines: event("a", "Product Viewed", "2026-03-01T10:00:00Z"))
        var m = try segments([("Active 7d", "recency_days <= 7")])
        let t0 = ms("2026-03-01T10:00:00Z")
        let entered = m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0)
        #expect(entered.map(\.entered) == [true])
        #expect(entered.first?.reason == "recency_days <= 7 became true")
        #expect(m.sizes == [1])
        #expect(m.dueTime(of: 0) == t0 + 7 * day + 1)
        #expect(m.nextDueTime == t0 + 7 * day + 1)
        // At exactly 7 days the customer is still in.
        #expect(m.advance(to: t0 + 7 * day, in: engine, scores: NoSegmentScores()).isEmpty)
        let exited = m.advance(to: t0 + 7 * day + 1, in: engine, scores: NoSegmentScores())
        #expect(exited.count == 1)
        #expect(exited.first?.entered == false)
        #expect(exited.first?.reason == "recency_days <= 7 became false")
        #expect(exited.first?.time == t0 + 7 * day + 1)
        #expect(m.sizes == [0])
        #expect(m.dueTime(of: 0) == .max)
        #expect(m.nextDueTime == nil)
    }

    @Test func aNewEventPostponesTheExit() throws {
        var engine = Engine()
        engine.ingest(lines: event("a", "Page Viewed", "2026-03-01T00:00:00Z"))
        var m = try segments([("Active", "recency_days < 2")])
        let t0 = ms("2026-03-01T00:00:00Z")
        _ = m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0)
        #expect(m.dueTime(of: 0) == t0 + 2 * day)
        engine.ingest(lines: event("a", "Page Viewed", "2026-03-02T00:00:00Z"))
        #expect(m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0 + day).isEmpty)
        #expect(m.dueTime(of: 0) == t0 + 3 * day)
        // The stale queue entry at t0 + 2d is skipped.
        #expect(m.advance(to: t0 + 2 * day + 5, in: engine, scores: NoSegmentScores()).isEmpty)
        #expect(m.advance(to: t0 + 3 * day, in: engine, scores: NoSegmentScores()).map(\.entered) == [false])
    }

    @Test func windowedCountExitsWhenTheCountedEventsLeave() throws {
        var engine = Engine()
        engine.ingest(lines: [
            event("a", "Product Viewed", "2026-03-01T00:00:00Z"),
            event("a", "Product Viewed", "2026-03-02T00:00:00Z"),
            event("a", "Product Viewed", "2026-03-03T00:00:00Z"),
            event("a", "Order Completed", "2026-03-03T01:00:00Z", ",\"properties\":{\"order_id\":\"o1\",\"revenue\":20}"),
        ].joined(separator: "\n"))
        var m = try segments([("Browsing", "count(\"Product Viewed\", 7d) >= 2"),
                              ("Browsing, no order", "count(\"Product Viewed\", 7d) >= 2 and orders = 0")])
        let now = ms("2026-03-03T01:00:00Z")
        let changes = m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: now)
        #expect(changes.map(\.segment) == [0])
        // Three views: the count falls below 2 when the second one (2 March) leaves the window.
        #expect(m.dueTime(of: 0) == ms("2026-03-02T00:00:00Z") + 7 * day)
        #expect(m.advance(to: ms("2026-03-08T00:00:00Z"), in: engine, scores: NoSegmentScores()).isEmpty)
        let exit = m.advance(to: ms("2026-03-09T00:00:00Z"), in: engine, scores: NoSegmentScores())
        #expect(exit.map(\.segment) == [0])
        #expect(exit.first?.reason == "count(\"Product Viewed\", 7d) >= 2 became false")
        #expect(m.sizes == [0, 0])
        // Nothing else can change by the clock: the count only falls, and 1 < 2 forever.
        #expect(m.dueTime(of: 0) == .max)
    }

    @Test func referencesFollowTheSegmentTheyNameAndShowTheMovingClause() throws {
        var engine = Engine()
        engine.ingest(lines: [
            identify("a", "2026-03-01T00:00:00Z", "\"country\":\"DE\",\"email_opt_in\":true"),
            identify("b", "2026-03-01T00:00:00Z", "\"country\":\"FR\",\"email_opt_in\":false"),
        ].joined(separator: "\n"))
        // Declared before the segment it refers to: evaluation order follows the references.
        var m = try segments([("Reachable active", "segment(\"Active\") and email_opt_in"),
                              ("Active", "recency_days <= 1"),
                              ("Germany", "country = \"DE\""),
                              ("Not Germany", "not country in [\"DE\", \"AT\"]")])
        let t0 = ms("2026-03-01T00:00:00Z")
        let a = m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0)
        #expect(Set(a.map(\.segment)) == [0, 1, 2])
        let b = m.update(customer: 1, in: engine, scores: NoSegmentScores(), now: t0)
        #expect(Set(b.map(\.segment)) == [1, 3])
        #expect(m.sizes == [1, 2, 1, 1])
        #expect(m.members(of: 1) == [0, 1])
        #expect(m.segments(of: 0) == [0, 1, 2])
        let exits = m.advance(to: t0 + day + 1, in: engine, scores: NoSegmentScores())
        #expect(exits.filter { $0.customer == 0 }.map(\.segment).sorted() == [0, 1])
        // The clock moved it: the time-dependent clause is named, not the consent.
        #expect(exits.first { $0.customer == 0 && $0.segment == 0 }?.clause == "segment(\"Active\")")
        #expect(m.sizes == [0, 0, 1, 1])
    }

    @Test func textLiteralsUnknownToTheEngineResolveWhenTheyAppear() throws {
        var engine = Engine()
        engine.ingest(lines: identify("a", "2026-03-01T00:00:00Z", "\"country\":\"DE\""))
        var m = try segments([("France", "country = \"FR\""), ("Not France", "country != \"FR\"")])
        let t0 = ms("2026-03-01T00:00:00Z")
        #expect(m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0).map(\.segment) == [1])
        engine.ingest(lines: identify("b", "2026-03-01T00:00:00Z", "\"country\":\"FR\""))
        #expect(m.update(customer: 1, in: engine, scores: NoSegmentScores(), now: t0).map(\.segment) == [0])
        engine.ingest(lines: event("c", "Page Viewed", "2026-03-01T00:00:00Z"))
        // Unknown country: neither "= FR" nor "!= FR" holds.
        #expect(m.update(customer: 2, in: engine, scores: NoSegmentScores(), now: t0).isEmpty)
        #expect(m.sizes == [1, 1])
    }

    @Test func scoresUnknownCompareFalse() throws {
        var engine = Engine()
        engine.ingest(lines: event("a", "Page Viewed", "2026-03-01T00:00:00Z"))
        var m = try segments([("Risky", "churn_risk > 0.5"), ("Safe", "not churn_risk > 0.5")])
        let t0 = ms("2026-03-01T00:00:00Z")
        #expect(m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0).map(\.segment) == [1])
        let moved = m.update(customer: 0, in: engine, scores: FixedScores(churn: 0.8), now: t0)
        #expect(moved.map(\.segment) == [0, 1])
        #expect(moved.map(\.entered) == [true, false])
        #expect(moved.first?.reason == "churn_risk > 0.5 became true")
        var table = SegmentScoreTable(customers: 1)
        table.set(customer: 0, SegmentScores(churnRisk: 0.1))
        #expect(m.update(customer: 0, in: engine, scores: table, now: t0).map(\.entered) == [false, true])
    }

    @Test func stageMovesAtTheInactivityThresholds() throws {
        var engine = Engine()
        engine.ingest(lines: event("a", "Order Completed", "2026-03-01T00:00:00Z", ",\"properties\":{\"order_id\":\"o1\",\"revenue\":20}"))
        var m = try segments([("At risk", "stage = \"at_risk\""), ("Buyers, 1 to 5 days", "days_since_order between 1 and 5")])
        let t0 = ms("2026-03-01T00:00:00Z")
        #expect(m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0).isEmpty)
        #expect(m.dueTime(of: 0) == t0 + day)
        #expect(m.advance(to: t0 + day, in: engine, scores: NoSegmentScores()).map(\.segment) == [1])
        #expect(m.dueTime(of: 0) == t0 + 5 * day + 1)
        #expect(m.advance(to: t0 + 5 * day + 1, in: engine, scores: NoSegmentScores()).map(\.entered) == [false])
        #expect(m.dueTime(of: 0) == t0 + 30 * day)
        let risk = m.advance(to: t0 + 30 * day, in: engine, scores: NoSegmentScores())
        #expect(risk.map(\.entered) == [true])
        #expect(risk.first?.reason == "stage = \"at_risk\" became true")
        #expect(m.dueTime(of: 0) == t0 + 90 * day)
        #expect(m.advance(to: t0 + 90 * day, in: engine, scores: NoSegmentScores()).map(\.entered) == [false])
    }

    @Test func cyclesAndUnknownReferencesAreFalse() throws {
        var engine = Engine()
        engine.ingest(lines: event("a", "Page Viewed", "2026-03-01T00:00:00Z"))
        var m = try segments([("A", "segment(\"B\") or events > 0"), ("B", "segment(\"A\")"), ("C", "segment(\"Nope\") or events > 5")])
        #expect(m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: ms("2026-03-01T00:00:00Z")).map(\.segment) == [0])
    }

    @Test func segmentsReadingNothingTheEventChangedAreNotEvaluated() throws {
        var engine = Engine()
        engine.ingest(lines: event("a", "Page Viewed", "2026-03-01T00:00:00Z"))
        var m = try segments([("Buyers", "orders >= 1"), ("Active", "recency_days <= 7"), ("Active buyers", "segment(\"Buyers\") and recency_days <= 7")])
        let t0 = ms("2026-03-01T00:00:00Z")
        #expect(m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0).map(\.segment) == [1])
        engine.ingest(lines: event("a", "Order Completed", "2026-03-01T01:00:00Z", ",\"properties\":{\"order_id\":\"o1\",\"revenue\":20}"))
        // Told that only what a page view changes has changed, the order goes unseen: nothing reads it.
        let pageView = RuleInputs.changed(byEvent: KnownEvent.pageViewed.id)
        #expect(m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0 + 3_600_000, changed: pageView).isEmpty)
        #expect(m.sizes == [0, 1, 0])
        let order = RuleInputs.changed(byEvent: KnownEvent.orderCompleted.id)
        #expect(m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0 + 3_600_000, changed: order).map(\.segment) == [0, 2])
        #expect(m.dueTime(of: 0) == t0 + 3_600_000 + 7 * 86_400_000 + 1)
        // Scores only: the recency segments keep their answers and their due time.
        #expect(m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0 + 7_200_000, changed: .scores).isEmpty)
        #expect(m.dueTime(of: 0) == t0 + 3_600_000 + 7 * 86_400_000 + 1)
        #expect(m.advance(to: t0 + 3_600_000 + 7 * 86_400_000 + 1, in: engine, scores: NoSegmentScores()).map(\.segment) == [1, 2])
        #expect(RuleInputs.changed(byEvent: KnownEvent.identify.id).isSuperset(of: .traits))
        #expect(!RuleInputs.changed(byEvent: KnownEvent.emailOpened.id).contains(RuleInputs(.revenue)))
    }

    @Test func aBatchUpdatesEachTouchedCustomerOnceThenTheDueOnes() throws {
        var engine = Engine()
        var m = try segments([("Viewers", "product_views >= 2"), ("Active", "recency_days <= 1")])
        var batch = SegmentUpdateBatch()
        let lines = [
            event("a", "Product Viewed", "2026-03-01T00:00:00Z"),
            event("b", "Page Viewed", "2026-03-01T00:00:00Z"),
            event("a", "Product Viewed", "2026-03-01T00:05:00Z"),
        ]
        for line in lines {
            for outcome in engine.ingest(lines: line) {
                if case .accepted(let c) = outcome {
                    batch.mark(customer: c, changed: RuleInputs.changed(byEvent: engine.profiles[Int(c)].timeline.last?.name ?? 0))
                }
            }
        }
        #expect(batch.count == 2)
        let t = ms("2026-03-01T00:05:00Z")
        let changes = batch.flush(into: &m, engine: engine, scores: NoSegmentScores(), now: t)
        #expect(batch.count == 0)
        #expect(changes.filter { $0.customer == 0 }.map(\.segment).sorted() == [0, 1])
        #expect(changes.filter { $0.customer == 1 }.map(\.segment) == [1])
        // A later flush with nothing marked still runs the timers.
        let exits = batch.flush(into: &m, engine: engine, scores: NoSegmentScores(), now: t + 86_400_000 + 1)
        #expect(exits.map(\.segment) == [1, 1])
        #expect(m.sizes == [1, 0])
    }

    @Test func changesCanBeExplainedLater() throws {
        var engine = Engine()
        engine.ingest(lines: event("a", "Product Viewed", "2026-03-01T00:00:00Z"))
        var m = try segments([("Active viewers", "product_views >= 1 and recency_days <= 2")])
        m.explainsChanges = false
        let t0 = ms("2026-03-01T00:00:00Z")
        let entered = try #require(m.update(customer: 0, in: engine, scores: NoSegmentScores(), now: t0).first)
        #expect(entered.clause == "")
        #expect(m.explain(entered, in: engine, scores: NoSegmentScores(), now: t0).clause == "product_views >= 1")
        let exit = try #require(m.advance(to: t0 + 2 * 86_400_000 + 1, in: engine, scores: NoSegmentScores()).first)
        #expect(exit.clause == "")
        let why = m.explain(exit, in: engine, scores: NoSegmentScores(), now: exit.time)
        #expect(why.clause == "recency_days <= 2" && why.value == false)
        #expect(m.nextDueTime == nil)
    }
}

@Suite struct SegmentIncrementalStageTests {
    /// Flush after flush, the stage scan continues where it stopped (also after a new order); late events,
    /// cancellations, updates and refunds make it start over. Whatever the order, the live membership must equal one rebuilt from scratch.
    @Test func incrementalStageScansMatchAFullRebuildWithLateEventsAndCancellations() throws {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        let names = ["Page Viewed", "Product Viewed", "Product Added", "Checkout Started", "Order Completed",
                     "Order Cancelled", "Product Reviewed", "Order Completed", "Order Updated", "Order Refunded"]
        let rules = [("Buyers stage", "stage in [\"Purchase\", \"Retention\"]"), ("Considering", "stage = \"Consideration\""),
                     ("Advocates", "stage = \"Advocacy\""), ("Recent", "recency_days <= 3")]
        let configuration = SegmentsConfiguration(file: "t", segments: try rules.map {
            RuleSegment(name: $0.0, rule: try CompiledRule.compile($0.1).get())
        })
        var pipeline = IngestPipeline(sourceName: "t")
        pipeline.segments = LiveSegments(configuration: configuration)
        let base = ms("2026-03-01T00:00:00Z")
        var clock = base
        for batch in 0..<40 {
            var lines = ""
            for _ in 0..<25 {
                let user = "u\(next(12))"
                let name = names[next(names.count)]
                // Mostly forward in time, one in five late by up to two days.
                clock += Int64(next(4 * 3_600_000))
                let time = next(5) == 0 ? clock - Int64(next(2 * 86_400_000)) : clock
                let order = next(3)
                var props = #""order_id":"\#(user)-o\#(order)","revenue":20"#
                if name == "Product Reviewed" { props = #""rating":5"# }
                lines += #"{"type":"track","event":"\#(name)","userId":"\#(user)","timestamp":"\#(Timestamp.iso8601(time))","properties":{\#(props)}}"# + "\n"
            }
            var splitter = LineSplitter()
            let bytes = Array(lines.utf8)
            bytes.withUnsafeBytes { raw in
                splitter.feed(raw) { line in
                    if batch % 2 == 0 { pipeline.consume(line, quarantine: nil) } else { pipeline.consumeDeferred(line, quarantine: nil) }
                }
            }
            pipeline.flush()
            pipeline.flushSegments()
        }
        let live = try #require(pipeline.segments?.membership)
        let now = try #require(pipeline.engine.watermark)
        var fresh = SegmentMembership(segments: configuration.segments)
        _ = fresh.refreshAll(in: pipeline.engine, scores: NoSegmentScores(), now: now)
        #expect(pipeline.engine.profiles.count == 12)
        for c in 0..<UInt32(pipeline.engine.profiles.count) {
            #expect(live.segments(of: c) == fresh.segments(of: c), "customer \(pipeline.engine.customers.string(c))")
        }
        #expect(live.sizes == fresh.sizes)
        #expect(live.sizes.reduce(0, +) > 0, "some customers are in some stage segment")
    }
}
