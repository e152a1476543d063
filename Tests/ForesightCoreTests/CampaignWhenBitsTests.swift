import Foundation
import Testing
@testable import ForesightCore
import ForesightTestSupport

/// The timer triggers' `when` rules kept as a bit per customer (WhenBits): quiet periods of customers the rule
/// excludes are not looked at, waits start only while their rule holds, and the bits follow the events, an
/// erasure and a restore.
@Suite struct CampaignWhenBitsTests {
    static func rule(_ text: String) throws -> CompiledRule { try CompiledRule.compile(text).get() }

    @Test func aRuleOnCountsAndTraitsDependsOnlyOnEventsOneOnTheClockOrScoresDoesNot() throws {
        #expect(try Self.rule("orders >= 3").dependsOnlyOnEvents)
        #expect(try Self.rule("cart_adds = 0 and plan = \"gold\"").dependsOnlyOnEvents)
        #expect(try Self.rule("orders >= 1 and recency_days > 3").dependsOnlyOnEvents == false)
        #expect(try Self.rule("churn_risk > 0.5").dependsOnlyOnEvents == false)
        #expect(try Self.rule("stage = \"At Risk\"").dependsOnlyOnEvents == false)
    }

    @Test func onlyTestsBoundingAGrowingCountAboveFallWithMoreOfIt() throws {
        let adds = RuleInputs(.cartAdds)
        #expect(try Self.rule("cart_adds = 0").onlyFalls(with: adds))
        #expect(try Self.rule("cart_adds < 2 and product_views >= 30").onlyFalls(with: adds))
        #expect(try Self.rule("cart_adds <= 1 or orders >= 1").onlyFalls(with: adds))
        #expect(try Self.rule("product_views >= 30").onlyFalls(with: adds))  // reads none of them
        #expect(try Self.rule("cart_adds >= 1").onlyFalls(with: adds) == false)
        #expect(try Self.rule("cart_adds = 2").onlyFalls(with: adds) == false)
        #expect(try Self.rule("not cart_adds >= 1").onlyFalls(with: adds) == false)
        #expect(try Self.rule("orders = 0").onlyFalls(with: RuleInputs(.orders)) == false)  // cancellations lower it
    }

    /// The flat form answers as the rule does, for rules on counts and sums and for profiles around their bounds.
    @Test func aFlatRuleAnswersAsTheCompiledRule() throws {
        let texts = ["orders >= 2", "product_views >= 20 and orders = 0", "orders = 0 and checkouts = 1", "cart_adds between 1 and 3",
                     "revenue > 150 and aov < 80", "email_opens >= 5 and email_clicks = 0 and events > 10", "refunds != 0",
                     "sessions <= 10 and page_views < 15 and support_tickets >= 1"]
        var rng = SplitMix64(seed: 11)
        var profiles: [Profile] = []
        for _ in 0..<400 {
            var p = Profile()
            func small() -> UInt32 { UInt32(rng.next() % 25) }
            p.orderCount = UInt32(rng.next() % 4); p.revenue = Double(rng.next() % 400); p.refunds = Double(rng.next() % 2)
            p.sessions = small(); p.events = small(); p.pageViews = small(); p.productViews = small(); p.cartAdds = UInt32(rng.next() % 5)
            p.checkouts = UInt32(rng.next() % 3); p.emailOpens = UInt32(rng.next() % 8); p.emailClicks = UInt32(rng.next() % 2)
            p.supportTickets = UInt32(rng.next() % 2)
            profiles.append(p)
        }
        for text in texts {
            let rule = try Self.rule(text)
            let flat = try #require(FlatRule(rule), "\(text)")
            var agreed = 0, trueSeen = 0
            for p in profiles {
                let (expected, stays) = RuleInput.with(profile: p, traits: nil, now: 0) { (rule.evaluate($0, bindings: RuleBindings(rule)).value, rule.staysFalse($0)) }
                let got = withUnsafePointer(to: p) { (flat.holds($0), flat.staysFalse($0)) }
                #expect(got.0 == expected, "\(text)")
                #expect(got.1 == stays, "\(text)")
                if got.0 == expected { agreed += 1 }
                if expected { trueSeen += 1 }
            }
            #expect(agreed == profiles.count)
            #expect(trueSeen > 0 && trueSeen < profiles.count, "\(text): the profiles should fall on both sides")
        }
        // All of them in one table (a rule without a flat form among them), each answering by its number as alone.
        let flats = try texts.map { try #require(FlatRule(try Self.rule($0))) }
        let table = FlatRuleTable(Array(flats.prefix(3)) + [nil] + Array(flats.dropFirst(3)))
        #expect(table.has(3) == false && table.has(0) && table.has(texts.count) && table.has(texts.count + 1) == false)
        for (i, flat) in flats.enumerated() {
            let k = i < 3 ? i : i + 1
            for p in profiles {
                withUnsafePointer(to: p) { q in
                    #expect(table.holds(k, q) == flat.holds(q), "\(texts[i])")
                    #expect(table.staysFalse(k, q) == flat.staysFalse(q), "\(texts[i])")
                }
            }
        }
        // Anything else keeps the compiled form.
        for text in ["orders >= 1 or cart_adds >= 1", "not orders >= 1", "plan = \"gold\"", "recency_days > 3", "orders in [1, 2]", "churn_risk > 0.5"] {
            #expect(FlatRule(try Self.rule(text)) == nil, "\(text)")
        }
    }

    @Test func whichTriggersKeepBitsAndWhichWaitsStartOnlyWhileTrue() throws {
        let p = try campaignPipeline("""
        triggers:
          - { name: Cart, after: Product Added, not_followed_by: Order Completed, within: 1h, when: cart_adds >= 2, channel: email, template: a }
          - { name: Viewed, after: Product Viewed, not_followed_by: Product Added, within: 1d, when: product_views >= 30 and cart_adds = 0, channel: email, template: b }
          - { name: Clicked, after: Email Opened, not_followed_by: Email Link Clicked, within: 2d, when: email_clicks >= 1, channel: email, template: c }
          - { name: Buyers, after: Product Viewed, not_followed_by: Product Added, within: 1d, when: orders >= 1, channel: email, template: d }
          - { name: Quiet buyers, inactive: 7d, when: orders >= 3, channel: email, template: e }
          - { name: Lapsing, inactive: 7d, when: recency_days > 3, channel: email, template: f }
          - { name: Big, on: Order Completed, when: orders >= 2, channel: email, template: g }
        """)
        let when = try #require(p.campaigns?.when)
        #expect(when.tracked == [true, true, true, true, true, false, false])
        // More clicks make `email_clicks >= 1` true; orders change with events other than the wait's own.
        #expect(when.armsOnlyWhileTrue == [true, true, false, false, false, false, false])
    }

    static let quietBuyers = """
    triggers:
      - { name: Quiet buyer, inactive: 3d, when: orders >= 1, channel: email, template: q, cooldown: none, control: 0 }
    """

    static func order(_ user: String, _ time: String, _ id: String) -> String {
        track(user, "Order Completed", time, "\"order_id\":\"\(id)\",\"revenue\":50")
    }

    @Test func aQuietPeriodOfACustomerTheRuleExcludesIsNotLookedAtAndHerOrderBringsItBack() throws {
        var p = try campaignPipeline(Self.quietBuyers)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), Self.order("ann", "2026-01-01T10:00:00Z", "o1"),
                  identify("bob", "2026-01-01T09:00:00Z"), track("bob", "Page Viewed", "2026-01-01T10:00:00Z")])
        let d = settle(&p, at: "2026-01-04T11:00:00Z")
        #expect(d.map(\.customerKey) == ["ann"])
        #expect(p.campaigns?.timersRun == 1)  // bob's quiet period: a bit, no check
        // Bob buys: his next quiet stretch counts.
        feed(&p, [Self.order("bob", "2026-01-05T10:00:00Z", "o2")])
        #expect(settle(&p, at: "2026-01-08T11:00:00Z").map { "\($0.customerKey) \($0.causeTime)" } == ["bob \(ms("2026-01-08T10:00:00Z"))"])
    }

    @Test func aCancelledOrderTakesTheCustomerOutAgain() throws {
        var p = try campaignPipeline(Self.quietBuyers)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), Self.order("ann", "2026-01-01T10:00:00Z", "o1"),
                  track("ann", "Order Cancelled", "2026-01-01T11:00:00Z", "\"order_id\":\"o1\"")])
        #expect(p.engine.profiles[0].orderCount == 0)
        #expect(settle(&p, at: "2026-01-05T00:00:00Z").isEmpty)
    }

    /// A runner started on a log already read (triggers added while running) takes the customers' bits from
    /// their profiles, not from a customer with no events: Ann's order before it counts.
    @Test func aRunnerStartedLateTakesTheBitsFromTheProfiles() throws {
        let configured = try campaignPipeline(Self.quietBuyers)
        var p = IngestPipeline(sourceName: "t")
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), Self.order("ann", "2026-01-01T10:00:00Z", "o1"),
                  identify("bob", "2026-01-01T09:00:00Z")])
        var runner = try #require(configured.campaigns)
        runner.emitsDecisions = true
        p.setCampaigns(runner)
        #expect(p.campaigns?.whenBit(0, 0) == true)
        feed(&p, [track("ann", "Page Viewed", "2026-01-02T10:00:00Z"), track("bob", "Page Viewed", "2026-01-02T10:00:00Z")])
        #expect(settle(&p, at: "2026-01-06T00:00:00Z").map(\.customerKey) == ["ann"])
    }

    static let cart = """
    triggers:
      - { name: Cart, after: Product Added, not_followed_by: Order Completed, within: 1h, when: cart_adds >= 2, channel: email, template: c, cooldown: none, control: 0 }
    """

    @Test func aWaitStartsOnlyOnceItsRuleHolds() throws {
        var p = try campaignPipeline(Self.cart)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), track("ann", "Product Added", "2026-01-01T10:00:00Z")])
        #expect(p.campaigns?.timerCount == 0)
        feed(&p, [track("ann", "Product Added", "2026-01-01T10:20:00Z")])
        #expect(p.campaigns?.timerCount == 1)
        #expect(settle(&p, at: "2026-01-01T12:00:00Z").map(\.causeTime) == [ms("2026-01-01T11:20:00Z")])
    }

    /// Event time: an hour after her first add she had one add, so that wait does not fire, even though her
    /// second add (after that hour) had arrived by the time a flush looked; the second add's own wait does.
    @Test func aWaitIsJudgedOnTheCustomerAtItsEndNotOnLaterEvents() throws {
        var p = try campaignPipeline(Self.cart)
        feed(&p, [identify("bob", "2026-01-01T09:00:00Z"), track("bob", "Product Added", "2026-01-01T10:00:00Z"),
                  track("bob", "Product Added", "2026-01-01T11:30:00Z")])
        #expect(settle(&p, at: "2026-01-01T12:00:00Z").isEmpty)
        #expect(settle(&p, at: "2026-01-01T13:00:00Z").map(\.causeTime) == [ms("2026-01-01T12:30:00Z")])
    }

    @Test func theBitsFollowAnErasure() throws {
        var p = try campaignPipeline(Self.quietBuyers)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), track("ann", "Page Viewed", "2026-01-01T10:00:00Z"),
                  identify("bob", "2026-01-01T09:00:00Z"), Self.order("bob", "2026-01-01T10:00:00Z", "o1"),
                  identify("cy", "2026-01-01T09:00:00Z"), track("cy", "Page Viewed", "2026-01-01T10:00:00Z")])
        p.forget(customerKeys: ["ann"])
        // Bob is customer 0 now, Cy 1: the bits are computed again, not shifted by accident.
        #expect(settle(&p, at: "2026-01-05T00:00:00Z").map(\.customerKey) == ["bob"])
    }

    @Test func theBitsAreComputedAgainAfterARestore() throws {
        var p = try campaignPipeline(Self.quietBuyers)
        feed(&p, [identify("ann", "2026-01-01T09:00:00Z"), Self.order("ann", "2026-01-01T10:00:00Z", "o1"),
                  identify("bob", "2026-01-01T09:00:00Z"), track("bob", "Page Viewed", "2026-01-01T10:00:00Z")])
        _ = settle(&p, at: "2026-01-02T00:00:00Z")
        let runner = try #require(p.campaigns)
        let state = runner.exportState(engineLines: p.engine.stats.lines)
        var q = restoredPipeline(engine: p.engine, configuration: runner.configuration, state: state)
        #expect(q.campaignNotices.isEmpty)
        #expect(q.campaigns?.whenBit(0, 0) == true)
        #expect(q.campaigns?.whenBit(0, 1) == false)
        #expect(settle(&q, at: "2026-01-05T00:00:00Z").map(\.customerKey) == ["ann"])
    }
}
