import Foundation
import Testing
import ForesightCore
import ForesightTestSupport

/// Stage assignment, history and flow with a fixed clock; the journeys configuration section.
@Suite struct JourneyStageTests {
    static let day: Int64 = 86_400_000

    static func track(_ user: String, _ event: String, _ iso: String, _ properties: String = "{}") -> String {
        #"{"event":"\#(event)","userId":"\#(user)","timestamp":"\#(iso)","properties":\#(properties)}"#
    }

    static func engine(_ lines: [String]) -> Engine {
        var e = Engine()
        e.ingest(lines: lines.joined(separator: "\n") + "\n")
        return e
    }

    static let shopper = engine([
        track("a", "Product Viewed", "2026-03-01T10:00:00Z"),
        track("a", "Order Completed", "2026-03-01T10:10:00Z", #"{"order_id":"o1","revenue":50}"#),
        track("a", "Product Reviewed", "2026-03-02T10:00:00Z", #"{"rating":3}"#),
        track("a", "Order Completed", "2026-03-10T10:00:00Z", #"{"order_id":"o2","revenue":20}"#),
        track("a", "Product Reviewed", "2026-03-11T10:00:00Z", #"{"rating":5}"#),
        track("b", "Product Shared", "2026-03-01T09:00:00Z"),
        track("b", "Page Viewed", "2026-03-01T09:05:00Z"),
    ])

    @Test func stagesMoveForwardAtTheEventsThatReachThem() throws {
        let e = Self.shopper
        let rules = StageRules()
        let a = try #require(e.profile("a"))
        let now = ms("2026-03-12T00:00:00Z")
        #expect(rules.stage(a, now: now) == .advocacy)
        let history = rules.history(a, now: now)
        #expect(history.map(\.stage) == [.consideration, .purchase, .retention, .advocacy])
        #expect(history.map(\.time) == [ms("2026-03-01T10:00:00Z"), ms("2026-03-01T10:10:00Z"),
                                        ms("2026-03-10T10:00:00Z"), ms("2026-03-11T10:00:00Z")])
        // A rating of 3 is no advocacy; before her second order she was a first-time buyer.
        #expect(rules.stage(a, now: ms("2026-03-05T00:00:00Z")) == .purchase)
        // Sharing without a purchase is not advocacy (Advocacy requires Purchase).
        let b = try #require(e.profile("b"))
        #expect(rules.stage(b, now: now) == .awareness)
    }

    @Test func inactivityMakesAtRiskThenLapsedWithAFixedClock() throws {
        let e = Self.shopper
        let rules = StageRules()
        let a = try #require(e.profile("a"))
        let last = ms("2026-03-11T10:00:00Z")
        #expect(rules.stage(a, now: last + 29 * Self.day) == .advocacy)
        #expect(rules.stage(a, now: last + 30 * Self.day) == .atRisk)
        #expect(rules.stage(a, now: last + 90 * Self.day) == .lapsed)
        // A non-buyer is never At Risk, only Lapsed.
        let b = try #require(e.profile("b"))
        let bLast = ms("2026-03-01T09:05:00Z")
        #expect(rules.stage(b, now: bLast + 60 * Self.day) == .awareness)
        #expect(rules.stage(b, now: bLast + 90 * Self.day) == .lapsed)
        // The history records both thresholds.
        let history = rules.history(a, now: last + 100 * Self.day)
        #expect(history.suffix(2).map(\.stage) == [.atRisk, .lapsed])
        #expect(history.suffix(2).map(\.time) == [last + 30 * Self.day, last + 90 * Self.day])
        // With a fitted model the churn risk decides At Risk.
        #expect(rules.stage(a, now: last + Self.day, churnRisk: 0.8) == .atRisk)
        #expect(rules.stage(a, now: last + 40 * Self.day, churnRisk: 0.2) == .advocacy)
    }

    @Test func aGapInTheMiddleIsADetour() throws {
        let e = Self.engine([
            Self.track("c", "Order Completed", "2026-01-01T10:00:00Z", #"{"order_id":"x","revenue":5}"#),
            Self.track("c", "Product Viewed", "2026-03-01T10:00:00Z"),
        ])
        let c = try #require(e.profile("c"))
        let history = StageRules().history(c, now: ms("2026-03-02T00:00:00Z"))
        #expect(history.map(\.stage) == [.purchase, .atRisk, .purchase])
        #expect(history[1].time == ms("2026-01-31T10:00:00Z"))
    }

    @Test func cancelledOrdersDoNotCount() throws {
        let e = Self.engine([
            Self.track("d", "Order Completed", "2026-03-01T10:00:00Z", #"{"order_id":"o1","revenue":5}"#),
            Self.track("d", "Order Cancelled", "2026-03-01T11:00:00Z", #"{"order_id":"o1"}"#),
        ])
        #expect(StageRules().stage(try #require(e.profile("d")), now: ms("2026-03-02T00:00:00Z")) == .awareness)
    }

    @Test func configuredMappingAndThresholds() throws {
        let yaml = """
            journeys:
              stages:
                Consideration:
                  events: ["Quote Requested", "Product Viewed"]
                Advocacy:
                  events: ["Product Reviewed where rating >= 5", "Referral Sent"]
              at_risk:
                inactive_days: 10
                churn_risk: 0.5
              lapsed:
                inactive_days: 20
              funnel: Product Viewed, Quote Requested|Product Added, Order Completed
              funnel_window: 3d
            """
        let load = JourneysConfiguration.parse(yaml: yaml, file: "f.yml")
        #expect(load.problems.isEmpty, "\(load.problems)")
        let config = load.configuration
        #expect(config.stageRules.atRiskAfterDays == 10)
        #expect(config.stageRules.lapsedAfterDays == 20)
        #expect(config.stageRules.atRiskChurnRisk == 0.5)
        #expect(config.funnel.steps == [["Product Viewed"], ["Quote Requested", "Product Added"], ["Order Completed"]])
        #expect(config.funnel.windowMs == 3 * Self.day)
        // A custom event name resolves in the engine that saw it.
        let e = Self.engine([Self.track("q", "Quote Requested", "2026-03-01T10:00:00Z")])
        let q = try #require(e.profile("q"))
        let rules = config.stageRules.bound(to: e.eventNames)
        #expect(rules.stage(q, now: ms("2026-03-02T00:00:00Z")) == .consideration)
        #expect(rules.stage(q, now: ms("2026-03-25T00:00:00Z")) == .lapsed)
        #expect(StageRules().stage(q, now: ms("2026-03-02T00:00:00Z")) == .awareness)
    }

    @Test func configurationProblemsHaveLineAndColumn() throws {
        let yaml = """
            journeys:
              stages:
                Considration: ["Product Viewed"]
                Advocacy:
                  events: ["Product Reviewed where stars >= 4"]
              at_risk:
                inactive_days: -3
              funnel: "A,,B"
              colour: blue
            """
        let problems = JourneysConfiguration.parse(yaml: yaml, file: "f.yml").problems.map(\.description)
        #expect(problems.contains { $0.hasPrefix("f.yml:3:5: unknown stage 'Considration'") && $0.contains("did you mean 'Consideration'") })
        #expect(problems.contains { $0.hasPrefix("f.yml:5:16: Advocacy: unknown field 'stars'") })
        #expect(problems.contains { $0.hasPrefix("f.yml:7:20: 'at_risk.inactive_days' must be a number") })
        #expect(problems.contains { $0.hasPrefix("f.yml:8:11: funnel: step 2 is empty") })
        #expect(problems.contains { $0.hasPrefix("f.yml:9:3: unknown field 'colour' in journeys") })
    }

    @Test func theBundledConfigurationLoadsWithoutProblems() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data/foresight.yml").path
        let load = JourneysConfiguration.load(path: path)
        #expect(load.isUsable)
        #expect(load.problems.isEmpty, "\(load.problems)")
        #expect(load.configuration.stageRules == StageRules())
        #expect(load.configuration.funnel == JourneysConfiguration.standardFunnel)
    }

    @Test func weeklyFlowCountsMovesBetweenStages() throws {
        let e = Self.shopper
        let now = ms("2026-03-12T00:00:00Z")
        let flow = e.stageFlow(now: now, periodMs: 7 * Self.day)
        // a was a buyer (Purchase) on 5 March and is an advocate now; b stayed in Awareness.
        #expect(flow.moved(from: .purchase, to: .advocacy) == 1)
        #expect(flow.moves.count == 1)
        #expect(flow.distribution.first { $0.stage == .awareness }?.customers == 1)
        #expect(flow.distribution.first { $0.stage == .advocacy }?.customers == 1)
    }
}
