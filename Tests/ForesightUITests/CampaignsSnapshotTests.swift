import ForesightCore
import ForesightTestSupport
import ForesightUI
import Testing

/// The Campaigns view, the Overview's triggers panel and the customer's messages over the dashboard fixture
/// with four triggers parsed from YAML (the runner flushes on event time, so the result depends on the log
/// alone). `FORESIGHT_RECORD_SNAPSHOTS=1` re-records the snapshots.
///
/// What the fixture gives: alice's $139.98 order at 10:07 UTC (11:07 in Berlin, inside the 11:00–12:00 quiet
/// hours) is thanked at 11:00 UTC, delayed; bob's $1,250 order is not (he opted out of email); carol's cart of
/// 15:30 has no order 10 minutes later, but she never opted in; frank signed up before he gave his consent.
struct CampaignsSnapshotTests {
    static let small = Size(width: 80, height: 24)
    static let large = Size(width: 160, height: 48)

    static let yaml = """
        campaigns:
          cap_per_day: 2
          cap_per_week: 5
          quiet_hours: { from: "11:00", to: "12:00", timezone: UTC, mode: delay }
        triggers:
          - name: Abandoned cart
            after: Product Added
            not_followed_by: Order Completed
            within: 10m
            channel: email
            template: cart-reminder
            cooldown: 3d
          - name: Big order thanks
            on: Order Completed where revenue > 100
            channel: email
            template: thank-you
            control: 0%
          - name: Browsed a product
            on: Product Viewed
            channel: email
            template: browse-reminder
            cooldown: 1d
            control: 50%
            goal_window: 1h
          - name: Welcome
            on: Signed Up
            channel: sms
            template: welcome-sms
        """

    static func runner() throws -> CampaignRunner {
        let load = CampaignsConfiguration.parse(yaml: yaml, file: "foresight.yml")
        #expect(load.problems.isEmpty, "\(load.problems)")
        #expect(load.configuration.triggers.count == 4)
        return CampaignRunner(configuration: load.configuration, problems: load.problems)
    }

    /// The fixture read with the triggers running, flushed at its end as the live ingest loop does.
    static func pipeline(redaction: Redaction? = nil) throws -> IngestPipeline {
        var pipeline = IngestPipeline(sourceName: "events.jsonl")
        pipeline.engine.redaction = redaction
        pipeline.setCampaigns(try runner())
        _ = try LogSources.readAll(path: try DashboardFixture.path()) { pipeline.consume($0, quarantine: nil) }
        pipeline.flushSegments()
        return pipeline
    }

    static func screen(_ size: Size, keys: [Key], pipeline given: IngestPipeline? = nil) throws -> (ScreenBuffer, DashboardState) {
        let pipeline = try given ?? Self.pipeline()
        var state = DashboardState(size: size)
        var buffer = DashboardFixture.frame(&state, pipeline)
        for key in keys {
            DashboardFixture.press(key, &state, pipeline)
            buffer = DashboardFixture.frame(&state, pipeline)
        }
        return (buffer, state)
    }

    // MARK: - What the runner decided (the figures the screens must show)

    @Test func theFixtureFiresAndSuppresses() throws {
        let runner = try #require(try Self.pipeline().campaigns)
        let byName = Dictionary(uniqueKeysWithValues: runner.triggers.enumerated().map { ($1.name, runner.counts[$0]) })
        let thanks = try #require(byName["Big order thanks"])
        #expect(thanks.fired == 1 && thanks.delayed == 1, "alice, delayed by the quiet hours")
        #expect(thanks.suppressed["no_consent"] == 1, "bob opted out of email")
        #expect(byName["Abandoned cart"]?.suppressed["no_consent"] == 1, "carol never opted in")
        #expect(byName["Welcome"]?.suppressed["no_consent"] == 1, "frank signed up before his consent")
        let fired = try #require(runner.firedFeed.last { $0.trigger == "Big order thanks" })
        #expect(fired.customerKey == "alice" && fired.delayed)
        #expect(Timestamp.short(fired.sendTime) == "2026-03-01 11:00")
    }

    @Test func theFeedsAreNewestFirstByTheTimeShown() throws {
        let pipeline = try Self.pipeline()
        let data = try #require(DashboardQueries.campaigns(pipeline, feedRows: 64, perTrigger: false))
        #expect(data.sent.count == 2 && data.suppressed.count == 8)
        #expect(data.sent.map(\.sendTime) == data.sent.map(\.sendTime).sorted(by: >), "a message sent: when it went out")
        #expect(data.suppressed.map(\.time) == data.suppressed.map(\.time).sorted(by: >))
        #expect(data.triggers.isEmpty, "the Overview does not compute the uplift")
        #expect(data.totalSent == 2 && data.totalHeldOut == 1 && data.totalSuppressed == 7)
    }

    // MARK: - The Campaigns view

    @Test(arguments: [small, large])
    func campaignsView(size: Size) throws {
        let (buffer, state) = try Self.screen(size, keys: [.char("6")])
        assertSnapshot(buffer, named: "campaigns-\(size.width)x\(size.height)")
        #expect(state.screen == .tab(.campaigns))
        let text = buffer.text
        let runner = try #require(try Self.pipeline().campaigns)
        let total = runner.counts.reduce(0) { $0 + $1.fired }
        let heldOut = runner.counts.reduce(0) { $0 + $1.heldOut }
        let suppressed = runner.counts.reduce(0) { $0 + $1.suppressedTotal }
        #expect(text.contains("\(total) sent · \(heldOut) held out · \(suppressed) suppressed"))
        for trigger in runner.triggers { #expect(text.contains(trigger.name), "\(trigger.name) is listed") }
        // The rule, its message and its guards on the trigger's second line.
        #expect(text.contains("on Order Completed where revenue > 100 → email: thank-you"))
        #expect(text.contains("email: browse-reminder · cooldown 1d · 50% "))
        #expect(text.contains("quiet hours 11:00–12:00"))
        #expect(text.contains("Uplift, pts (95% CI)"))
        // One alice in the control group and one frank messaged, neither converted: an interval as wide as
        // two customers leave it (Newcombe's), not a claim.
        let browsed = try #require(buffer.lines().first { $0.contains("Browsed a product") && !$0.contains("→") })
        #expect(browsed.contains("0.0 (-79.3 to +79.3)"))
        // The sent feed: alice's thank-you, sent at 11:00 UTC, when the quiet hours ended.
        let line = try #require(buffer.lines().first { $0.contains("alice") && $0.contains("Big order thanks") })
        #expect(line.contains("email: thank-you (delayed)") && line.contains("03-01 11:00"))
        if size == Self.large {
            // Both feeds, and a column per guard.
            #expect(text.contains("Held out and suppressed"))
            #expect(text.contains("No consent") && text.contains("Weekly cap"))
            #expect(text.contains("goal: Order Completed within 1h"))
            #expect(text.contains("at most 2 messages a day and 5 a week per customer"))
            #expect(text.contains("50% held out as control"))
            #expect(browsed.contains("0.0% / 0.0%"), "the conversion of both groups")
        } else {
            #expect(text.contains("At most 2 a day, 5 a week per customer"))
            #expect(!text.contains("Held out and suppressed (newest first)"), "one feed at a time at 80 columns")
            #expect(text.contains("f: held out and suppressed"))
        }
    }

    @Test func theSuppressedFeedAt80Columns() throws {
        let (buffer, state) = try Self.screen(Self.small, keys: [.char("6"), .char("f")])
        assertSnapshot(buffer, named: "campaigns-suppressed-80x24")
        #expect(state.campaigns.feed == .suppressed)
        let bob = try #require(buffer.lines().first { $0.contains("bob") && $0.contains("Big order thanks") })
        #expect(bob.contains("no consent"))
        #expect(buffer.text.contains("Why not sent"))
        #expect(buffer.text.contains("f: sent"))
    }

    @Test func theUpliftIsShownOnceBothGroupsHaveAClosedWindow() throws {
        let pipeline = try Self.pipeline()
        let runner = try #require(pipeline.campaigns)
        let t = try #require(runner.triggers.firstIndex { $0.name == "Browsed a product" })
        let u = runner.uplift(trigger: t, now: pipeline.engine.watermark ?? 0)
        let (buffer, _) = try Self.screen(Self.large, keys: [.char("6")], pipeline: pipeline)
        let line = try #require(buffer.lines().first { $0.contains("Browsed a product") && !$0.contains("→") })
        if let uplift = u.uplift, let ci = u.interval, ci.high > ci.low {
            #expect(line.contains(CampaignsViewText.points(uplift) + " (" + CampaignsViewText.points(ci.low) + " to "))
        } else {
            #expect(line.contains("not measurable yet"))
        }
        let other = try #require(buffer.lines().first { $0.contains("Welcome") && !$0.contains("→") })
        #expect(other.contains("not measurable yet"), "nobody was messaged or held out")
    }

    @Test func withoutTriggersTheViewSaysHowToAddThem() throws {
        let (buffer, _) = try Self.screen(Self.small, keys: [.char("6")], pipeline: try DashboardFixture.pipeline())
        #expect(buffer.text.contains("No campaign triggers run for this log."))
        #expect(buffer.text.contains("triggers:"))
        #expect(buffer.text.contains("and save it: they start at once"))
    }

    @Test func feedsShowPseudonymsUnderRedaction() throws {
        let redaction = Redaction(key: Array("a test key of 16+ bytes".utf8))
        let pipeline = try Self.pipeline(redaction: redaction)
        let (buffer, _) = try Self.screen(Self.large, keys: [.char("6")], pipeline: pipeline)
        #expect(!buffer.text.contains("alice"))
        #expect(!buffer.text.contains("bob "))
        #expect(buffer.text.contains(String(redaction.customer("alice").prefix(8))))
    }

    // MARK: - Keys

    @Test func key6OpensCampaignsAndTabWrapsAround() throws {
        var state = DashboardState(size: Self.small)
        _ = DashboardReducer.reduce(&state, .keyPressed(.char("6")))
        #expect(state.screen == .tab(.campaigns))
        _ = DashboardReducer.reduce(&state, .keyPressed(.tab))
        #expect(state.screen == .tab(.overview))
        _ = DashboardReducer.reduce(&state, .keyPressed(.backTab))
        #expect(state.screen == .tab(.campaigns))
        _ = DashboardReducer.reduce(&state, .keyPressed(.char("5")))
        _ = DashboardReducer.reduce(&state, .keyPressed(.tab))
        #expect(state.screen == .tab(.campaigns))
        _ = DashboardReducer.reduce(&state, .keyPressed(.char("7")))
        #expect(state.screen == .tab(.campaigns), "no seventh view")
    }

    @Test func enterOnAFeedLineOpensItsCustomerAndEscReturns() throws {
        var state = DashboardState(size: Self.small)
        _ = DashboardReducer.reduce(&state, .keyPressed(.char("6")))
        _ = DashboardReducer.reduce(&state, .dataShown(tailCustomers: [], timelineCount: 0, rejectCount: 0,
                                                        campaigns: CampaignsShown(sentCustomers: [4, 2], suppressedCustomers: [7, 3, 1], triggers: 4)))
        _ = DashboardReducer.reduce(&state, .keyPressed(.down))
        _ = DashboardReducer.reduce(&state, .keyPressed(.enter))
        #expect(state.screen == .customer(2))
        _ = DashboardReducer.reduce(&state, .keyPressed(.escape))
        #expect(state.screen == .tab(.campaigns))
        // The suppressed feed keeps its own selection.
        _ = DashboardReducer.reduce(&state, .keyPressed(.char("f")))
        #expect(state.campaigns.feed == .suppressed)
        _ = DashboardReducer.reduce(&state, .keyPressed(.end))
        #expect(state.campaigns.suppressed.selected == 2 && state.campaigns.sent.selected == 1)
        _ = DashboardReducer.reduce(&state, .keyPressed(.enter))
        #expect(state.screen == .customer(1))
    }

    @Test func enterOnAnEmptyFeedStays() {
        var state = DashboardState(size: Self.small)
        _ = DashboardReducer.reduce(&state, .keyPressed(.char("6")))
        _ = DashboardReducer.reduce(&state, .keyPressed(.enter))
        #expect(state.screen == .tab(.campaigns))
    }

    @Test func aShorterFeedClampsTheSelection() {
        var state = DashboardState(size: Self.small)
        _ = DashboardReducer.reduce(&state, .keyPressed(.char("6")))
        let shown = CampaignsShown(sentCustomers: Array(0..<10), suppressedCustomers: [], triggers: 4)
        _ = DashboardReducer.reduce(&state, .dataShown(tailCustomers: [], timelineCount: 0, rejectCount: 0, campaigns: shown))
        _ = DashboardReducer.reduce(&state, .keyPressed(.end))
        #expect(state.campaigns.sent.selected == 9)
        let fewer = CampaignsShown(sentCustomers: [0, 1, 2], suppressedCustomers: [], triggers: 4)
        _ = DashboardReducer.reduce(&state, .dataShown(tailCustomers: [], timelineCount: 0, rejectCount: 0, campaigns: fewer))
        #expect(state.campaigns.sent.selected == 2)
    }

    @Test func enterOnTheScreenOpensTheNewestMessagesCustomer() throws {
        let pipeline = try Self.pipeline()
        let (buffer, state) = try Self.screen(Self.small, keys: [.char("6"), .enter], pipeline: pipeline)
        let newest = try #require(pipeline.campaigns?.firedFeed.last)
        #expect(state.screen == .customer(newest.customer))
        #expect(buffer.text.contains("Campaign messages"))
    }

    // MARK: - The Overview's panel and the customer's messages

    @Test(arguments: [small, large])
    func overviewTriggersPanel(size: Size) throws {
        let (buffer, _) = try Self.screen(size, keys: [])
        assertSnapshot(buffer, named: "overview-campaigns-\(size.width)x\(size.width == 80 ? 24 : 48)")
        let runner = try #require(try Self.pipeline().campaigns)
        let total = runner.counts.reduce(0) { $0 + $1.fired }
        let heldOut = runner.counts.reduce(0) { $0 + $1.heldOut }
        let suppressed = runner.counts.reduce(0) { $0 + $1.suppressedTotal }
        #expect(buffer.text.contains("\(total) sent · \(heldOut) held out · \(suppressed) suppressed"))
        let newest = try #require(runner.firedFeed.last)
        if size == Self.large {
            #expect(buffer.text.contains("4 triggers · 6 for details"), "the panel's title")
            let line = try #require(buffer.lines().first { $0.contains("│" + String(Timestamp.short(newest.causeTime).suffix(5)) + " " + newest.customerKey) })
            #expect(line.contains(newest.trigger))
        } else {
            #expect(buffer.text.contains("Campaigns: "), "the one-line summary")
            #expect(buffer.text.contains("Live events"), "the tail stays")
        }
    }

    @Test(arguments: [small, large])
    func customerMessages(size: Size) throws {
        let pipeline = try Self.pipeline()
        let alice = try DashboardFixture.index("alice", in: pipeline)
        let decisions = try #require(pipeline.campaigns?.decisions(of: alice))
        #expect(!decisions.isEmpty)
        // Customers by revenue: bob, alice.
        let (buffer, state) = try Self.screen(size, keys: [.char("2"), .down, .enter], pipeline: pipeline)
        #expect(state.screen == .customer(alice))
        assertSnapshot(buffer, named: "customer-messages-\(size.width)x\(size.height)")
        #expect(buffer.text.contains("Campaign messages"))
        // The newest first: at 80x24 two lines, the cooldowns of her second and third product views.
        let newest = try #require(buffer.lines().first { $0.contains("Browsed a product") })
        #expect(newest.contains("03-01 16:03") && newest.contains("email") && newest.contains("suppressed: cooldown"))
        if size == Self.large {
            let thanks = try #require(buffer.lines().first { $0.contains("Big order thanks") })
            #expect(thanks.contains("03-01 10:07") && thanks.contains("email") && thanks.contains("delayed to 11:00"))
            // Every decision about her, with what became of it.
            for d in decisions {
                let outcome = d.suppressed.map { $0 == .heldOut ? "held out" : "suppressed: " + $0.label } ?? (d.delayed ? "delayed to" : "sent")
                #expect(buffer.lines().contains { $0.contains(String(d.trigger.prefix(12))) && $0.contains(outcome) }, "\(d.trigger): \(outcome)")
            }
        }
        #expect(buffer.text.contains("Journey timeline"), "the timeline stays")
    }

    @Test func theTimelineScrollsWithinWhatTheMessagesLeave() throws {
        let pipeline = try Self.pipeline()
        let (_, state) = try Self.screen(Self.small, keys: [.char("2"), .down, .enter], pipeline: pipeline)
        let alice = try DashboardFixture.index("alice", in: pipeline)
        let count = try #require(pipeline.campaigns?.decisions(of: alice).count)
        #expect(state.detailMessageRows == min(count, 2) + 2)
    }
}

/// The view's number text, as the tests read it.
enum CampaignsViewText {
    static func points(_ fraction: Double) -> String {
        let v = (fraction * 1000).rounded() / 10
        return (v > 0 ? "+" : "") + Format.decimal(v == 0 ? 0 : v, places: 1)
    }
}
