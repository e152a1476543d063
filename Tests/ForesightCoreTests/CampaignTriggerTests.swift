import Foundation
import Synchronization
import Testing
import ForesightCore
import ForesightTestSupport

private let hour: Int64 = 3_600_000
private let day: Int64 = 86_400_000

/// A track event line.
func track(_ user: String, _ name: String, _ time: String, _ properties: String = "") -> String {
    let props = properties.isEmpty ? "" : ",\"properties\":{\(properties)}"
    return "{\"type\":\"track\",\"event\":\"\(name)\",\"userId\":\"\(user)\",\"timestamp\":\"\(time)\"\(props)}"
}

/// An identify line with opt-ins and a time zone.
func identify(_ user: String, _ time: String, email: Bool? = true, sms: Bool? = nil, timezone: String? = nil) -> String {
    var traits = ["\"email\":\"\(user)@example.com\""]
    if let email { traits.append("\"email_opt_in\":\(email)") }
    if let sms { traits.append("\"sms_opt_in\":\(sms)") }
    if let timezone { traits.append("\"timezone\":\"\(timezone)\"") }
    return "{\"type\":\"identify\",\"userId\":\"\(user)\",\"timestamp\":\"\(time)\",\"traits\":{\(traits.joined(separator: ","))}}"
}

/// A pipeline running the triggers of `yaml` (with quiet hours off unless the YAML sets them).
func campaignPipeline(_ yaml: String, segments: SegmentsConfiguration? = nil) throws -> IngestPipeline {
    let text = yaml.contains("campaigns:") ? yaml : "campaigns:\n  quiet_hours: off\n" + yaml
    let load = CampaignsConfiguration.parse(yaml: text, file: "test.yml", segments: segments?.segments.map(\.name))
    #expect(load.problems.isEmpty, "\(load.problems)")
    var p = IngestPipeline(sourceName: "test")
    if let segments { p.segments = LiveSegments(configuration: segments) }
    var runner = CampaignRunner(configuration: load.configuration)
    runner.emitsDecisions = true
    p.setCampaigns(runner)
    return p
}

/// A pipeline on `engine` with a fresh runner of `configuration` (emitting its decisions) given a saved state,
/// as a restart does.
func restoredPipeline(engine: Engine, configuration: CampaignsConfiguration, state: CampaignRunnerState) -> IngestPipeline {
    var q = IngestPipeline(engine: engine, sourceName: "t")
    var fresh = CampaignRunner(configuration: configuration)
    fresh.emitsDecisions = true
    q.setCampaigns(fresh)
    q.restoreCampaigns(state)
    return q
}

/// Feeds lines through the synchronous path.
func feed(_ p: inout IngestPipeline, _ lines: [String]) {
    for l in lines {
        let bytes = Array(l.utf8)
        bytes.withUnsafeBytes { b in _ = p.consume(Line(bytes: b, offset: 0, number: 1, length: b.count), quarantine: nil) }
    }
}

/// Takes the decisions the pipeline's runner made since the last call, each written as `line` writes it.
func takeDecisionLines(_ p: inout IngestPipeline, _ line: (CampaignDecision) -> String) -> [String] {
    (p.updateCampaigns { $0.takeDecisions() } ?? []).map(line)
}

/// Moves the clock a quiet month past the last event and runs the triggers (the timers still pending fire).
func passQuietMonth(_ p: inout IngestPipeline) {
    if let end = p.engine.watermark { p.engine.advanceClock(to: end + 30 * 86_400_000) }
    p.flushSegments()
}

/// Runs the triggers with the clock at `time` and takes the decisions.
func settle(_ p: inout IngestPipeline, at time: String) -> [CampaignDecision] {
    p.engine.advanceClock(to: ms(time))
    p.flushSegments()
    return p.updateCampaigns { $0.takeDecisions() } ?? []
}

/// A score table of churn risks by customer id (nil: no score).
func churnRiskTable(_ risks: [Double?]) -> SegmentScoreTable {
    var t = SegmentScoreTable(customers: risks.count)
    for (c, risk) in risks.enumerated() { if let risk { t.set(customer: UInt32(c), SegmentScores(churnRisk: risk)) } }
    return t
}

@Suite struct CampaignTriggerTests {
    // MARK: - Rule kinds

    @Test func anEventTriggerTestsTheEventsValueAndTheWhenRule() throws {
        var p = try campaignPipeline("""
        triggers:
          - name: Big order
            on: Order Completed where revenue > 200
            when: orders >= 1
            channel: email
            template: thanks
            payload: [email, revenue, orders]
            control: 0
        """)
        feed(&p, [identify("ann", "2026-03-02T09:00:00Z"),
                  track("ann", "Order Completed", "2026-03-02T10:00:00Z", "\"order_id\":\"o1\",\"revenue\":150"),
                  track("ann", "Order Completed", "2026-03-02T11:00:00Z", "\"order_id\":\"o2\",\"revenue\":250")])
        let d = settle(&p, at: "2026-03-02T12:00:00Z")
        #expect(d.count == 1)
        let first = try #require(d.first)
        #expect(first.fired && first.causeTime == ms("2026-03-02T11:00:00Z") && first.customerKey == "ann")
        #expect(first.because == "Order Completed (revenue 250)")
        #expect(first.payload.map(\.name) == ["email", "revenue", "orders"])
        #expect(first.payload.last?.value == .number(2))
        #expect(first.jsonLine.hasPrefix("{\"id\":\"\(first.id)\",\"trigger\":\"Big order\",\"customer\":\"ann\",\"channel\":\"email\",\"template\":\"thanks\",\"payload\":{\"email\":\"ann@example.com\",\"revenue\":400,\"orders\":2}"))
    }

    @Test func notFollowedByFiresWithinAfterTheLatestStartUnlessFollowed() throws {
        let yaml = """
        triggers:
          - name: Cart
            after: Product Added
            not_followed_by: Order Completed
            within: 1h
            channel: email
            template: cart
            cooldown: none
            control: 0
        """
        // Abandoned: fires an hour after the latest add (10:40), once.
        var p = try campaignPipeline(yaml)
        feed(&p, [identify("ann", "2026-03-02T09:00:00Z"),
                  track("ann", "Product Added", "2026-03-02T10:00:00Z"),
                  track("ann", "Product Added", "2026-03-02T10:40:00Z")])
        #expect(settle(&p, at: "2026-03-02T11:30:00Z").isEmpty)
        let fired = settle(&p, at: "2026-03-02T11:40:00Z")
        #expect(fired.map(\.causeTime) == [ms("2026-03-02T11:40:00Z")])
        #expect(settle(&p, at: "2026-03-03T11:40:00Z").isEmpty)

        // Followed within the hour: nothing; a later add without an order fires again.
        var q = try campaignPipeline(yaml)
        feed(&q, [identify("bob", "2026-03-02T09:00:00Z"),
                  track("bob", "Product Added", "2026-03-02T10:00:00Z"),
                  track("bob", "Order Completed", "2026-03-02T10:30:00Z", "\"order_id\":\"o1\",\"revenue\":10"),
                  track("bob", "Product Added", "2026-03-02T12:00:00Z")])
        let later = settle(&q, at: "2026-03-02T14:00:00Z")
        #expect(later.map(\.causeTime) == [ms("2026-03-02T13:00:00Z")])
    }

    @Test func anOrderArrivingInTheSameBatchAfterTheDeadlineDoesNotCancelTheReminder() throws {
        var p = try campaignPipeline("""
        triggers:
          - { name: Cart, after: Product Added, not_followed_by: Order Completed, within: 1h, channel: email, template: cart, control: 0 }
        """)
        // All three arrive before any flush of the clock past 11:00: the timeline decides, not arrival.
        feed(&p, [identify("ann", "2026-03-02T09:00:00Z"),
                  track("ann", "Product Added", "2026-03-02T10:00:00Z"),
                  track("ann", "Order Completed", "2026-03-02T10:59:59Z", "\"order_id\":\"o1\",\"revenue\":10")])
        #expect(settle(&p, at: "2026-03-02T12:00:00Z").isEmpty)
        var q = try campaignPipeline("""
        triggers:
          - { name: Cart, after: Product Added, not_followed_by: Order Completed, within: 1h, channel: email, template: cart, control: 0 }
        """)
        feed(&q, [identify("ann", "2026-03-02T09:00:00Z"),
                  track("ann", "Product Added", "2026-03-02T10:00:00Z"),
                  track("ann", "Order Completed", "2026-03-02T11:00:01Z", "\"order_id\":\"o1\",\"revenue\":10")])
        #expect(settle(&q, at: "2026-03-02T12:00:00Z").map(\.causeTime) == [ms("2026-03-02T11:00:00Z")])
    }

    @Test func inactivityFiresOnAQuietLogByTheClockAloneOncePerQuietStretch() throws {
        var p = try campaignPipeline("""
        triggers:
          - name: Miss you
            inactive: 30d
            channel: email
            template: miss-you
            cooldown: none
            control: 0
        """)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), track("ann", "Page Viewed", "2026-01-10T10:00:00Z")])
        #expect(settle(&p, at: "2026-02-09T09:59:59Z").isEmpty)
        // No event: thirty days after the last one, the clock alone fires it.
        let fired = settle(&p, at: "2026-02-09T10:00:00Z")
        #expect(fired.map(\.causeTime) == [ms("2026-02-09T10:00:00Z")])
        #expect(fired.first?.because.hasPrefix("no event for 30d") == true)
        #expect(settle(&p, at: "2026-04-01T00:00:00Z").isEmpty)
        // A new event starts a new stretch.
        feed(&p, [track("ann", "Page Viewed", "2026-04-02T00:00:00Z")])
        #expect(settle(&p, at: "2026-05-02T00:00:00Z").map(\.causeTime) == [ms("2026-05-02T00:00:00Z")])
    }

    @Test func segmentEntriesAndExitsFireTheirTriggers() throws {
        let segments = SegmentsConfiguration(file: "t", segments: [RuleSegment(name: "Buyers", rule: try CompiledRule.compile("orders >= 1").get())])
        var p = try campaignPipeline("""
        triggers:
          - { name: Welcome buyer, segment: enters Buyers, channel: email, template: w, control: 0 }
          - { name: Gone, segment: leaves Buyers, channel: email, template: g, control: 0 }
        """, segments: segments)
        feed(&p, [identify("ann", "2026-03-02T09:00:00Z"),
                  track("ann", "Order Completed", "2026-03-02T10:00:00Z", "\"order_id\":\"o1\",\"revenue\":10")])
        let d = settle(&p, at: "2026-03-02T10:30:00Z")
        #expect(d.map(\.trigger) == ["Welcome buyer"])
        #expect(d.first?.causeTime == ms("2026-03-02T10:00:00Z"))
        #expect(d.first?.because.hasPrefix("entered Buyers") == true)
    }

    @Test func aScoreTriggerFiresOnACrossingBetweenTwoScoreRunsNotOnTheFirst() throws {
        var p = try campaignPipeline("""
        triggers:
          - { name: Win back, score: churn_risk rises above 0.7, channel: email, template: wb, control: 0, cooldown: none }
        """)
        feed(&p, [identify("ann", "2026-03-02T09:00:00Z"), identify("bob", "2026-03-02T09:00:00Z")])
        func table(_ ann: Double, _ bob: Double) -> SegmentScoreTable { churnRiskTable([ann, bob]) }
        p.setScores(table(0.9, 0.5))
        #expect(settle(&p, at: "2026-03-02T10:00:00Z").isEmpty)  // the baseline: ann was already above
        p.setScores(table(0.95, 0.75))
        let d = settle(&p, at: "2026-03-02T11:00:00Z")
        #expect(d.map(\.customerKey) == ["bob"])
        #expect(d.first?.because == "churn_risk 0.5 → 0.75")
        p.setScores(table(0.95, 0.72))
        #expect(settle(&p, at: "2026-03-02T12:00:00Z").isEmpty)  // no new crossing
    }

    /// A crossing between the last score run before a restart and the first after it fires: the state keeps
    /// which side of the threshold each customer was on (not the table), renumbered by an erasure.
    @Test func aScoreCrossingWhileTheProgramWasDownFiresAfterTheRestore() throws {
        var p = try campaignPipeline("""
        triggers:
          - { name: Win back, score: churn_risk rises above 0.7, channel: email, template: wb, control: 0, cooldown: none }
        """)
        feed(&p, ["ann", "bob", "cem"].map { identify($0, "2026-03-02T09:00:00Z") })
        let table = churnRiskTable
        // Ann is above already, Bob below, Cem has no score yet.
        p.setScores(table([0.9, 0.5, nil]))
        #expect(settle(&p, at: "2026-03-02T10:00:00Z").isEmpty)
        let runner = try #require(p.campaigns)
        let blob = runner.exportState(engineLines: p.engine.stats.lines).encoded()
        let saved = try CampaignRunnerState(decoding: blob)
        #expect(saved.scoreBaseline == [[0b010]])
        // Bob crossed while the program was down; Cem had no score to cross from.
        var q = restoredPipeline(engine: p.engine, configuration: runner.configuration, state: saved)
        q.setScores(table([0.95, 0.8, 0.9]))
        let d = settle(&q, at: "2026-03-02T11:00:00Z")
        #expect(d.map(\.customerKey) == ["bob"])
        #expect(d.first?.because == "churn_risk at most 0.7 at the last score run → 0.8")
        // The next run is judged against that table, as without a restart; its checkpoint keeps the new sides.
        q.setScores(table([0.5, 0.9, 0.95]))
        #expect(settle(&q, at: "2026-03-02T12:00:00Z").isEmpty)
        #expect(q.campaigns?.exportState().scoreBaseline == [[0b001]])
        // A state of format 2 (without the sides at the end: a flag, then one trigger's count and word) sets the
        // baseline with its first table.
        var two = blob
        two[0] = 2
        #expect(two[two.count - 13] == 1)
        two.removeLast(13)
        let older = try CampaignRunnerState(decoding: two)
        #expect(older.scoreBaseline == nil)
        var r = restoredPipeline(engine: p.engine, configuration: runner.configuration, state: older)
        r.setScores(table([0.95, 0.8, 0.9]))
        #expect(settle(&r, at: "2026-03-02T11:00:00Z").isEmpty)
        // Ann erased: Bob is customer 0.
        var erased = saved
        erased.customersErased([0])
        #expect(erased.scoreBaseline == [[0b01]])
    }

    /// A replay's score runs come every period of event time on a grid from the first event, however many lines a
    /// period holds (the replay checks the clock at every line); a gap longer than a period has no runs inside it.
    @Test func aReplayScoresOncePerPeriodOfEventTimeFromTheFirstEvent() {
        func runs(_ days: [Int64], every period: Int64) -> [Int64] {
            var schedule = ScoreSchedule(everyMs: period * day)
            var at: [Int64] = []
            for d in days where schedule.isPassed(by: d * day) && schedule.isDue(at: d * day) {
                at.append(d)
                schedule.ran(at: d * day)
            }
            return at
        }
        #expect(runs(Array(0..<60), every: 14) == [14, 28, 42, 56])
        #expect(runs(Array(0..<60), every: 7) == [7, 14, 21, 28, 35, 42, 49, 56])
        // One event every 10 days: each boundary runs at the first event on or after it.
        #expect(runs([0, 10, 20, 30, 40, 50], every: 14) == [20, 30, 50])
        // A gap from day 20 to day 50: the run at 50 stands for 28 and 42; the next boundary is day 56.
        #expect(runs(Array(0...20) + Array(50..<60), every: 14) == [14, 50, 56])
    }

    // MARK: - Guards

    @Test func consentIsTheChannelsOptInTraitAndNoTraitIsNoConsent() throws {
        var p = try campaignPipeline("""
        triggers:
          - { name: Mail, on: Product Viewed, channel: email, template: m, control: 0 }
          - { name: Text, on: Product Viewed, channel: sms, template: t, control: 0 }
        """)
        feed(&p, [identify("yes", "2026-03-02T09:00:00Z", email: true, sms: false),
                  identify("no", "2026-03-02T09:00:00Z", email: false),
                  track("yes", "Product Viewed", "2026-03-02T10:00:00Z"),
                  track("no", "Product Viewed", "2026-03-02T10:00:00Z"),
                  track("anon", "Product Viewed", "2026-03-02T10:00:00Z")])
        let d = settle(&p, at: "2026-03-02T11:00:00Z")
        #expect(d.filter(\.fired).map { "\($0.customerKey) \($0.trigger)" } == ["yes Mail"])
        #expect(d.filter { $0.suppressed == .noConsent }.count == 5)
        let counts = try #require(p.campaigns?.counts)
        #expect(counts[0].fired == 1 && counts[0].suppressed["no_consent"] == 2)
        #expect(counts[1].fired == 0 && counts[1].suppressed["no_consent"] == 3)
    }

    @Test func cooldownAndTheDailyAndWeeklyCapsStopMessagesWithTheirReasons() throws {
        var p = try campaignPipeline("""
        campaigns:
          cap_per_day: 2
          cap_per_week: 3
          quiet_hours: off
        triggers:
          - { name: View, on: Product Viewed, channel: email, template: v, control: 0, cooldown: 12h }
          - { name: Add, on: Product Added, channel: email, template: a, control: 0, cooldown: none }
        """)
        feed(&p, [identify("ann", "2026-03-02T00:00:00Z"),
                  track("ann", "Product Viewed", "2026-03-02T08:00:00Z"),   // fired
                  track("ann", "Product Viewed", "2026-03-02T09:00:00Z"),   // cooldown
                  track("ann", "Product Added", "2026-03-02T10:00:00Z"),    // fired (2 today)
                  track("ann", "Product Added", "2026-03-02T11:00:00Z"),    // cap_day
                  track("ann", "Product Added", "2026-03-03T12:00:00Z"),    // fired (3 this week)
                  track("ann", "Product Added", "2026-03-04T12:00:00Z")])   // cap_week
        let d = settle(&p, at: "2026-03-05T00:00:00Z")
        #expect(d.map { $0.suppressed?.rawValue ?? "fired" } == ["fired", "cooldown", "fired", "cap_day", "fired", "cap_week"])
        // A week after the first message the cap has room again.
        feed(&p, [track("ann", "Product Added", "2026-03-09T09:00:00Z")])
        #expect(settle(&p, at: "2026-03-09T10:00:00Z").map(\.fired) == [true])
    }

    @Test func quietHoursDelayToTheLocalMorningAcrossMidnightTimeZonesAndDST() throws {
        let yaml = """
        campaigns:
          cap_per_day: 0
          cap_per_week: 0
          quiet_hours: { from: "21:00", to: "08:00", timezone: Europe/Berlin, mode: delay }
        triggers:
          - { name: View, on: Product Viewed, channel: email, template: v, control: 0, cooldown: none }
        """
        var p = try campaignPipeline(yaml)
        feed(&p, [identify("ny", "2026-03-01T00:00:00Z", timezone: "America/New_York"),
                  identify("tokyo", "2026-03-01T00:00:00Z", timezone: "Asia/Tokyo"),
                  identify("none", "2026-03-01T00:00:00Z"),
                  // 22:00 in New York on the evening before the spring-forward night (8 March 2026): 08:00 EDT = 12:00 UTC.
                  track("ny", "Product Viewed", "2026-03-08T03:00:00Z"),
                  // 22:00 in Tokyo (no DST): 08:00 the next day = 23:00 UTC.
                  track("tokyo", "Product Viewed", "2026-03-08T13:00:00Z"),
                  // 15:00 in Berlin (the default zone): no delay.
                  track("none", "Product Viewed", "2026-03-08T14:00:00Z"),
                  // 02:00 in Berlin, after midnight: delayed to 08:00 CET the same day = 07:00 UTC.
                  track("none", "Product Viewed", "2026-03-09T01:00:00Z")])
        let d = settle(&p, at: "2026-03-10T00:00:00Z")
        let byKey = Dictionary(grouping: d, by: \.customerKey)
        #expect(byKey["ny"]?.map(\.sendTime) == [ms("2026-03-08T12:00:00Z")])
        #expect(byKey["ny"]?.first?.delayed == true && byKey["ny"]?.first?.causeTime == ms("2026-03-08T03:00:00Z"))
        #expect(byKey["tokyo"]?.map(\.sendTime) == [ms("2026-03-08T23:00:00Z")])
        #expect(byKey["none"]?.map(\.sendTime) == [ms("2026-03-08T14:00:00Z"), ms("2026-03-09T07:00:00Z")])
        #expect(p.campaigns?.counts.first?.delayed == 3)

        // Delayed messages wait for the clock: at 11:00 UTC the New York one is still waiting.
        var q = try campaignPipeline(yaml)
        feed(&q, [identify("ny", "2026-03-01T00:00:00Z", timezone: "America/New_York"),
                  track("ny", "Product Viewed", "2026-03-08T03:00:00Z")])
        #expect(settle(&q, at: "2026-03-08T11:00:00Z").isEmpty)
        #expect(q.campaigns?.waitingCount == 1)
        #expect(settle(&q, at: "2026-03-08T12:00:00Z").map(\.sendTime) == [ms("2026-03-08T12:00:00Z")])

        // Drop mode suppresses instead.
        var r = try campaignPipeline(yaml.replacingOccurrences(of: "mode: delay", with: "mode: drop"))
        feed(&r, [identify("ny", "2026-03-01T00:00:00Z", timezone: "America/New_York"),
                  track("ny", "Product Viewed", "2026-03-08T03:00:00Z")])
        #expect(settle(&r, at: "2026-03-09T00:00:00Z").map(\.suppressed) == [.quietHours])
    }

    @Test func nextAllowedHandlesWindowsWithinOneDayAndTheFallBackNight() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        let lunch = QuietHours(startMinute: 12 * 60, endMinute: 14 * 60, defaultTimeZone: "Europe/Berlin")
        // 12:30 CEST = 10:30 UTC → 14:00 CEST = 12:00 UTC.
        #expect(lunch.nextAllowed(after: ms("2026-07-01T10:30:00Z"), in: berlin) == ms("2026-07-01T12:00:00Z"))
        #expect(lunch.nextAllowed(after: ms("2026-07-01T09:30:00Z"), in: berlin) == ms("2026-07-01T09:30:00Z"))
        // The night Berlin falls back (25 October 2026): 22:00 CEST = 20:00 UTC → 08:00 CET = 07:00 UTC.
        let night = QuietHours()
        #expect(night.nextAllowed(after: ms("2026-10-24T20:00:00Z"), in: berlin) == ms("2026-10-25T07:00:00Z"))
        #expect(QuietHours.parseClock("21:00") == 1260 && QuietHours.parseClock("25:00") == nil && QuietHours.parseClock("9:5") == nil)
    }

    @Test func theControlGroupHoldsOutItsShareStablyAndPerTrigger() {
        let keys = (0..<20_000).map { "user-\($0)" }
        let held = keys.filter { CampaignHash.isHeldOut(customerKey: $0, trigger: "Win back", share: 0.2) }
        let share = Double(held.count) / Double(keys.count)
        #expect(abs(share - 0.2) < 0.015, "held out \(share)")
        #expect(held == keys.filter { CampaignHash.isHeldOut(customerKey: $0, trigger: "Win back", share: 0.2) })
        let other = Set(keys.filter { CampaignHash.isHeldOut(customerKey: $0, trigger: "Cart", share: 0.2) })
        let overlap = Double(Set(held).intersection(other).count) / Double(held.count)
        #expect(overlap > 0.1 && overlap < 0.3, "independent groups overlap by about the share: \(overlap)")
        #expect(!keys.contains { CampaignHash.isHeldOut(customerKey: $0, trigger: "x", share: 0) })
    }

    @Test func heldOutCustomersAreRecordedAndTheirConversionMeasuresTheUplift() throws {
        var p = try campaignPipeline("""
        triggers:
          - { name: View, on: Product Viewed, channel: email, template: v, control: 50%, cooldown: none, goal: Order Completed, goal_window: 2d }
        """)
        var lines: [String] = []
        for i in 0..<400 {
            lines.append(identify("u\(i)", "2026-03-01T00:00:00Z"))
            lines.append(track("u\(i)", "Product Viewed", "2026-03-01T10:00:00Z"))
        }
        feed(&p, lines)
        let d = settle(&p, at: "2026-03-01T11:00:00Z")
        let heldOut = d.filter { $0.suppressed == .heldOut }.map(\.customerKey)
        let treated = d.filter(\.fired).map(\.customerKey)
        #expect(heldOut.count + treated.count == 400 && heldOut.count > 150 && heldOut.count < 250)
        // Every treated customer orders within the window, no held-out one does.
        feed(&p, treated.enumerated().map { track($0.element, "Order Completed", "2026-03-02T10:00:00Z", "\"order_id\":\"o\($0.offset)\",\"revenue\":5") })
        // Windows still open: the uplift counts only the converted so far.
        let runner = try #require(p.campaigns)
        let open = runner.uplift(trigger: 0, now: ms("2026-03-02T11:00:00Z"))
        #expect(open.treated == treated.count && open.heldOut == 0)
        let closed = runner.uplift(trigger: 0, now: ms("2026-03-04T00:00:00Z"))
        #expect(closed.treatedRate == 1 && closed.heldOutRate == 0 && closed.uplift == 1)
        #expect(closed.isSignificant)
    }

    /// Newcombe's (1998) hybrid score interval: his worked examples (Table II, method 10), and a held-out group
    /// without a conversion, where the normal approximation claimed significance on 17 customers.
    @Test func upliftIntervalIsNewcombesHybridScoreInterval() throws {
        func interval(_ x1: Int, _ n1: Int, _ x2: Int, _ n2: Int) throws -> (low: Double, high: Double) {
            try #require(TriggerUplift(treated: n1, treatedConverted: x1, heldOut: n2, heldOutConverted: x2).interval)
        }
        func close(_ i: (low: Double, high: Double), _ low: Double, _ high: Double) -> Bool {
            abs(i.low - low) < 5e-5 && abs(i.high - high) < 5e-5
        }
        #expect(close(try interval(56, 70, 48, 80), 0.0524, 0.3339))
        #expect(close(try interval(9, 10, 3, 10), 0.1705, 0.8090))
        #expect(close(try interval(6, 7, 2, 7), 0.0582, 0.8062))
        #expect(close(try interval(5, 56, 0, 29), -0.0381, 0.1926))
        #expect(close(try interval(0, 10, 0, 20), -0.1611, 0.2775))
        #expect(close(try interval(10, 10, 0, 20), 0.6791, 1.0000))
        let small = TriggerUplift(treated: 75, treatedConverted: 12, heldOut: 17, heldOutConverted: 0)
        #expect(!small.isSignificant)
        #expect(TriggerUplift(treated: 1000, treatedConverted: 150, heldOut: 1000, heldOutConverted: 100).isSignificant)
        #expect(TriggerUplift(treated: 10, treatedConverted: 1).uplift == nil)
    }

    // MARK: - Configuration

    @Test func configurationProblemsNameTheLineColumnAndReason() {
        let yaml = """
        triggers:
          - name: Two conditions
            on: Order Completed
            inactive: 30d
            channel: email
            template: t
          - name: Bad channel
            on: Order Completed
            channel: pigeon
            template: t
          - name: Bad duration
            inactive: 30 days
            channel: email
            template: t
          - name: Unknown segment
            segment: enters VIPs
            channel: email
            template: t
          - name: Bad when
            on: Order Completed
            when: orders >=
            channel: email
            template: t
          - name: Good
            on: Order Completed
            channel: email
            template: t
        """
        let load = CampaignsConfiguration.parse(yaml: yaml, file: "f.yml", segments: ["VIP"])
        #expect(load.configuration.triggers.map(\.name) == ["Good"])
        let text = load.problems.map(\.description)
        #expect(text.contains { $0.hasPrefix("f.yml:4:15: trigger 'Two conditions' has more than one condition") })
        #expect(text.contains { $0.hasPrefix("f.yml:9:14: trigger 'Bad channel': unknown channel 'pigeon'") })
        #expect(text.contains { $0.hasPrefix("f.yml:12:15: trigger 'Bad duration': inactive:") })
        #expect(text.contains { $0 == "f.yml:16:14: trigger 'Unknown segment': no rule segment is named 'VIPs'; did you mean 'VIP'?" })
        #expect(text.contains { $0.hasPrefix("f.yml:21:20: trigger 'Bad when': expected a value after '>='") }, "\(text)")
    }

    @Test func theBundledConfigurationLoadsEveryTriggerWithoutProblems() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data/foresight.yml").path
        let segments = SegmentsConfiguration.load(path: path).configuration.segments.map(\.name)
        let load = CampaignsConfiguration.load(path: path, segments: segments)
        #expect(load.problems.isEmpty, "\(load.problems)")
        #expect(load.configuration.triggers.count == 5)
        #expect(load.configuration.settings.quietHours?.delays == true)
    }

    // MARK: - Determinism and the outbox

    @Test func actionIDsAreStableAcrossReplaysAndReadingPaths() throws {
        let yaml = """
        triggers:
          - { name: Cart, after: Product Added, not_followed_by: Order Completed, within: 1h, channel: email, template: c }
          - { name: Miss, inactive: 3d, channel: email, template: m }
        """
        var lines: [String] = []
        for i in 0..<60 {
            lines.append(identify("u\(i)", "2026-03-01T00:00:00Z"))
            for k in 0..<5 { lines.append(track("u\(i)", k % 2 == 0 ? "Product Added" : "Page Viewed", "2026-03-0\(1 + (i + k) % 8)T1\(k):00:00Z")) }
        }
        func run(deferred: Bool) throws -> [String] {
            var p = try campaignPipeline(yaml)
            if deferred {
                for l in lines {
                    let b = Array(l.utf8)
                    b.withUnsafeBytes { p.consumeDeferred(Line(bytes: $0, offset: 0, number: 1, length: $0.count), quarantine: nil) }
                }
                p.flush()
            } else {
                feed(&p, lines)
            }
            return settle(&p, at: "2026-03-20T00:00:00Z").map { "\($0.id) \($0.suppressed?.rawValue ?? "fired")" }
        }
        let a = try run(deferred: false), b = try run(deferred: true)
        #expect(a.count > 60)
        #expect(a == b)
        #expect(Set(a.map { $0.prefix(32) }).count == a.count)
    }

    @Test func theOutboxWritesEachIDOnceAndCutsATornLastLine() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("outbox.jsonl")
        var p = try campaignPipeline("""
        triggers:
          - { name: View, on: Product Viewed, channel: email, template: v, control: 0, cooldown: none }
        """)
        feed(&p, [identify("ann", "2026-03-01T00:00:00Z"), track("ann", "Product Viewed", "2026-03-01T10:00:00Z"),
                  track("ann", "Product Viewed", "2026-03-01T11:00:00Z")])
        let d = settle(&p, at: "2026-03-01T12:00:00Z")
        #expect(d.count == 2)
        let box = try Outbox(path: path)
        #expect(try box.append(d) == 2)
        #expect(try box.append(d) == 0)
        // A crash tore the second line: reopening cuts it, and only that message is written again.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        try (String(lines[0]) + "\n" + String(lines[1].prefix(40))).write(toFile: path, atomically: false, encoding: .utf8)
        let reopened = try Outbox(path: path)
        #expect(reopened.linesAtOpen == 1 && reopened.tornBytesCut == 40)
        #expect(try reopened.append(d) == 1)
        let after: [String] = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { String($0) }
        let before: [String] = lines.map { String($0) }
        #expect(after == before)
        for line in after { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil) }
        // A file that is not an outbox is refused with its line.
        try "not json\n".write(toFile: dir.path("bad.jsonl"), atomically: false, encoding: .utf8)
        #expect(throws: OutboxError.self) { try Outbox(path: dir.path("bad.jsonl")) }
    }
}

@Suite struct CampaignLiveTests {
    /// Waits (up to 20 s) until `condition` holds.
    private func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while !condition() {
            if Date() > deadline { return false }
            usleep(10_000)
        }
        return true
    }

    @Test func onAQuietLogTheWallClockFiresTheTimerIntoTheOutboxOnce() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("events.jsonl")
        let lines = [identify("ann", "2026-03-02T09:00:00Z"), track("ann", "Product Added", "2026-03-02T10:00:00Z")]
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        var pipeline = try campaignPipeline("""
        triggers:
          - { name: Cart, after: Product Added, not_followed_by: Order Completed, within: 1h, channel: email, template: cart, control: 0 }
        """)
        let box = try Outbox(path: dir.path("outbox.jsonl"))
        pipeline.updateCampaigns { $0.delivered = box.ids }
        let wall = Mutex<Double>(1_000)
        let ingestor = LiveIngestor(path: path, pipeline: pipeline, quarantinePath: nil, now: { wall.withLock { $0 } }, outbox: box)
        ingestor.start()
        defer { ingestor.stop() }
        #expect(eventually { ingestor.read { $0.engine.stats.accepted } == 2 })
        // No event arrives; two hours pass on the wall clock: the reminder goes out by the clock alone.
        wall.withLock { $0 += 2 * 3600 }
        #expect(eventually { ingestor.read { $0.campaigns?.counts.first?.fired } == 1 })
        #expect(eventually { ((try? String(contentsOfFile: dir.path("outbox.jsonl"), encoding: .utf8)) ?? "").contains("\"template\":\"cart\"") })
        let line = try String(contentsOfFile: dir.path("outbox.jsonl"), encoding: .utf8)
        #expect(line.split(separator: "\n").count == 1)
        #expect(line.contains("\"eventTime\":\"2026-03-02T11:00:00.000Z\""))
    }
}

extension CampaignLiveTests {
    /// A dashboard started without triggers: the first ones written to its configuration start on the events
    /// from then on (an earlier cart is not messaged), into the outbox opened then.
    @Test func triggersAddedToTheFileWhileRunningStartOnTheEventsFromThenOn() throws {
        let dir = try TemporaryDirectory()
        let log = dir.path("events.jsonl"), config = dir.path("foresight.yml"), outbox = dir.path("outbox.jsonl")
        let before = [identify("ann", "2026-03-02T09:00:00Z"), track("ann", "Product Added", "2026-03-02T10:00:00Z")]
        try (before.joined(separator: "\n") + "\n").write(toFile: log, atomically: false, encoding: .utf8)
        try "segments:\n  - name: Carts\n    rule: cart_adds >= 1\n".write(toFile: config, atomically: false, encoding: .utf8)
        var pipeline = IngestPipeline(sourceName: log)
        pipeline.segments = LiveSegments(configuration: SegmentsConfiguration.load(path: config).configuration)
        let ingestor = LiveIngestor(path: log, pipeline: pipeline, quarantinePath: nil)
        ingestor.start()
        defer { ingestor.stop() }
        #expect(eventually { ingestor.read { $0.engine.stats.accepted } == 2 })
        let refresher = SegmentRefresher(ingestor: ingestor, models: nil, configPath: config,
                                         campaignStart: .init(outboxPath: outbox, suppressedPath: nil, stageRules: StageRules()))
        #expect(ingestor.read { $0.campaigns == nil } && ingestor.outbox == nil)

        // The file gains a trigger (and keeps its segment): it runs from now on.
        try """
        segments:
          - name: Carts
            rule: cart_adds >= 1
        campaigns:
          quiet_hours: off
        triggers:
          - { name: Cart added, on: Product Added, channel: email, template: cart, control: 0, cooldown: none }
        """.write(toFile: config, atomically: false, encoding: .utf8)
        #expect(refresher.reloadIfChanged())
        #expect(ingestor.read { $0.campaigns?.triggers.map(\.name) } == ["Cart added"])
        #expect(ingestor.outbox?.path == outbox)
        #expect(ingestor.progress.notices.contains { $0.hasPrefix("campaign triggers started: 1 trigger") })

        // A new cart two hours later, then an event an hour after it (the hourly settle): one message, for it.
        let after = [track("ann", "Product Added", "2026-03-02T12:00:00Z"), track("ann", "Page Viewed", "2026-03-02T13:30:00Z")]
        let handle = try #require(FileHandle(forWritingAtPath: log))
        handle.seekToEndOfFile()
        handle.write(Data((after.joined(separator: "\n") + "\n").utf8))
        try handle.close()
        #expect(eventually { ingestor.read { $0.campaigns?.counts.first?.fired } == 1 })
        #expect(eventually { ((try? String(contentsOfFile: outbox, encoding: .utf8)) ?? "").contains("\"template\":\"cart\"") })
        let lines = try String(contentsOfFile: outbox, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\"eventTime\":\"2026-03-02T12:00:00.000Z\"") == true)

        // A second reload with the triggers running reconfigures them; it starts nothing twice.
        #expect(!(try ingestor.startCampaigns(CampaignsConfiguration.load(path: config, segments: ["Carts"]), outboxPath: outbox,
                                              suppressedPath: nil, stageRules: StageRules())))
    }
}

@Suite struct CampaignReloadTests {
    @Test func anEditedConfigurationReplacesTheRunnerAndKeepsWhatStillApplies() throws {
        let yaml = """
        triggers:
          - { name: View, on: Product Viewed, channel: email, template: v, control: 0, cooldown: none }
        """
        var p = try campaignPipeline(yaml)
        feed(&p, [identify("ann", "2026-03-01T00:00:00Z"), track("ann", "Product Viewed", "2026-03-01T10:00:00Z")])
        let first = settle(&p, at: "2026-03-01T11:00:00Z")
        #expect(first.count == 1)
        p.updateCampaigns { $0.delivered = Set(first.map(\.id)) }
        func load(_ text: String) -> CampaignsConfigurationLoad {
            CampaignsConfiguration.parse(yaml: "campaigns:\n  quiet_hours: off\n" + text, file: "t.yml")
        }
        // The same file: nothing changes.
        let same = p.reconfigureCampaigns(load(yaml))
        #expect(!same)
        // Only the message changed: the counts and the outbox's ids carry over.
        let edited = p.reconfigureCampaigns(load(yaml.replacingOccurrences(of: "template: v", with: "template: v2")))
        #expect(edited)
        #expect(p.campaigns?.counts.first?.fired == 1 && p.campaigns?.triggers.first?.action.template == "v2")
        #expect(p.campaigns?.delivered == Set(first.map(\.id)))
        // A new trigger: a fresh runner, still with the ids, and the new trigger fires.
        let added = p.reconfigureCampaigns(load(yaml + "\n  - { name: Add, on: Product Added, channel: email, template: a, control: 0 }"))
        #expect(added)
        #expect(p.campaigns?.triggers.count == 2 && p.campaigns?.counts.first?.fired == 0)
        feed(&p, [track("ann", "Product Added", "2026-03-01T12:00:00Z")])
        #expect(settle(&p, at: "2026-03-01T13:00:00Z").map(\.trigger) == ["Add"])
        // A file that does not parse keeps the runner.
        let broken = p.reconfigureCampaigns(CampaignsConfiguration.parse(yaml: "triggers: [", file: "t.yml"))
        #expect(!broken)
        #expect(p.campaigns?.triggers.count == 2)
    }
    /// A reload that changes only the message keeps which side of a score threshold each customer was on: the
    /// next score run fires for a crossing since the last run before the reload, and not for one before it.
    @Test func aReloadKeepsTheScoreSidesOfTheLastRun() throws {
        let yaml = """
        triggers:
          - { name: Win back, score: churn_risk rises above 0.7, channel: email, template: wb, control: 0, cooldown: none }
        """
        var p = try campaignPipeline(yaml)
        feed(&p, ["ann", "bob"].map { identify($0, "2026-03-02T09:00:00Z") })
        func table(_ ann: Double, _ bob: Double) -> SegmentScoreTable { churnRiskTable([ann, bob]) }
        p.setScores(table(0.9, 0.5))
        #expect(settle(&p, at: "2026-03-02T10:00:00Z").isEmpty)
        let load = CampaignsConfiguration.parse(yaml: "campaigns:\n  quiet_hours: off\n" + yaml.replacingOccurrences(of: "template: wb", with: "template: wb2"),
                                                file: "t.yml")
        let replaced = p.reconfigureCampaigns(load)
        #expect(replaced)
        #expect(p.campaigns?.triggers.first?.action.template == "wb2")
        // Ann stayed above (no crossing); Bob rose across the threshold since the run before the reload.
        p.setScores(table(0.95, 0.8))
        let d = settle(&p, at: "2026-03-02T11:00:00Z")
        #expect(d.map(\.customerKey) == ["bob"])
        #expect(d.first?.template == "wb2")
    }
}
