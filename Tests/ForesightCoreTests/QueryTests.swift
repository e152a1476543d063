import Testing
import ForesightCore
import ForesightTestSupport

@Suite struct QueryTests {
    func engine() throws -> Engine {
        var engine = Engine()
        engine.ingest(lines: try fixtureText("small.jsonl"))
        return engine
    }

    @Test func dailyActivityCountsEventTime() throws {
        let e = try engine()
        let a = e.activity
        let lastDay = Timestamp.day(try #require(e.watermark))
        // 2026-03-05: carol only. Days 1..5 March hold all 15 events.
        #expect(a.daily(.events, days: 5, endingOn: lastDay) == [6, 5, 2, 1, 1])
        // Last seen: alice on the 4th, bob and anon on the 2nd, carol on the 5th.
        #expect(a.daily(.lastSeen, days: 5, endingOn: lastDay) == [0, 2, 0, 1, 1])
        #expect(a.daily(.newCustomers, days: 5, endingOn: lastDay) == [1, 2, 0, 0, 1])
        // Orders by order day: o1 on the 1st, o2 on the 3rd; bob's o3 was cancelled.
        #expect(a.daily(.orders, days: 5, endingOn: lastDay) == [1, 0, 1, 0, 0])
        #expect(a.daily(.activeCustomers, days: 5, endingOn: lastDay) == [1, 2, 1, 1, 1])
        // Bob bought on the 2nd (and cancelled later): he was a buyer that day.
        #expect(a.daily(.buyers, days: 5, endingOn: lastDay) == [1, 1, 1, 0, 0])
        let hours = a.hourly(.events, hours: 24 * 5, endingAt: try #require(e.watermark))
        #expect(hours.reduce(0, +) == 15)
        // The window opens at 08:00 on 28 February (119 hours before the watermark hour, 07:00 on 5 March);
        // slot 25 is 09:00–09:59 on 1 March, when alice did six things.
        #expect(hours[25] == 6)
        #expect(a.revenue(hours: lastDay * 24 - 96..<lastDay * 24 + 24) == 165)
    }

    @Test func kpisCompareWithTheSameTimeYesterday() throws {
        let e = try engine()
        let kpis = e.activityKPIs()
        #expect(kpis.asOfDay == "2026-03-05")
        #expect(kpis.hoursCovered == 8)
        #expect(kpis.today.activeCustomers == 1)
        #expect(kpis.today.newCustomers == 1)
        // On the 4th, alice's refund came at 10:00: after 08:00, so not "by the same time".
        #expect(kpis.yesterdaySameTime.activeCustomers == 0)
        #expect(kpis.yesterday.activeCustomers == 1)
        #expect(kpis.yesterday.events == 1)
        #expect(kpis.last7Days.activeCustomers == 4)
        #expect(kpis.last7Days.buyers == 2)
        #expect(kpis.last7Days.conversionRate == 0.5)
        #expect(kpis.last7Days.revenue == 165)
        #expect(e.summary().activity == kpis)
    }

    @Test func recentEventsNewestFirst() throws {
        let e = try engine()
        let newest = e.recentEvents.newest(3)
        #expect(newest.count == 3)
        #expect(e.customers.string(newest[0].customer) == "carol")
        #expect(newest[1].entry.name == KnownEvent.productsSearched.id)
        #expect(e.recentEvents.total == 15)
    }

    @Test func sortingCustomersByEveryColumn() throws {
        let e = try engine()
        let now = try #require(e.watermark)
        func ids(_ column: CustomerColumn, descending: Bool) -> [String] {
            e.customerSortInput(column, now: now).sorted(descending: descending).map { e.customers.string($0) }
        }
        #expect(ids(.id, descending: false) == ["alice", "anon-1", "bob", "carol"])
        #expect(ids(.id, descending: true) == ["carol", "bob", "anon-1", "alice"])
        #expect(ids(.revenue, descending: true).first == "alice")
        #expect(ids(.lastSeen, descending: true) == ["carol", "alice", "anon-1", "bob"])
        #expect(ids(.country, descending: false).first == "alice")
        #expect(ids(.events, descending: true).first == "alice")
        let subset = [UInt32(2), 0]
        #expect(e.customerSortInput(.id, now: now).sorted(descending: false, subset: subset) == [0, 2])
    }

    @Test func searchIgnoresCase() throws {
        let e = try engine()
        #expect(e.customers.ids(containing: "O").map { e.customers.string($0) } == ["bob", "anon-1", "carol"])
        #expect(e.customers.ids(containing: "ali").count == 1)
        #expect(e.customers.ids(containing: "zzz").isEmpty)
    }

    @Test func stagesFromActionsAndInactivity() throws {
        let e = try engine()
        let now = try #require(e.watermark)
        let rules = StageRules()
        #expect(rules.stage(try #require(e.profile("alice")), now: now) == .retention)
        #expect(rules.stage(try #require(e.profile("bob")), now: now) == .consideration)
        #expect(rules.stage(try #require(e.profile("carol")), now: now) == .awareness)
        let later = now + 40 * 86_400_000
        #expect(rules.stage(try #require(e.profile("alice")), now: later) == .atRisk)
        #expect(rules.stage(try #require(e.profile("bob")), now: later) == .consideration)
        #expect(rules.stage(try #require(e.profile("bob")), now: now + 100 * 86_400_000) == .lapsed)
    }

    @Test func customerDetailAndTimeline() throws {
        let e = try engine()
        let alice = try #require(e.customers.lookup("alice"))
        let d = e.customerDetail(alice, now: try #require(e.watermark))
        #expect(d.email == "alice@example.com")
        #expect(d.country == "DE")
        #expect(d.emailOptIn == "yes")
        #expect(d.orders == 2)
        #expect(d.productsBought == ["p1", "p2"])
        #expect(d.categoriesBought == ["boots", "socks"])
        #expect(d.productsViewed == ["p1"])
        #expect(d.daysSinceLastSeen == 0)
        #expect(d.eventsByName["Order Completed"] == 2)
        let rows = e.timelineRows(alice, range: 0..<100)
        #expect(rows.count == 9)
        #expect(rows.filter(\.newSession).count == 3)
        #expect(rows[2].item == "p1 (boots)")
        #expect(rows[4].item == "order of 2 items")
        #expect(rows[4].amount == 130)
        #expect(rows[5].amount == 125)
        #expect(rows[6].item == "campaign spring")
        #expect(rows[6].channel == "email")
        #expect(e.timelineRows(alice, range: 8..<20).count == 1)
    }
}

@Suite struct EmptyLogTests {
    @Test func anEmptyEngineAnswersEveryQuery() {
        let e = Engine()
        let s = e.summary()
        #expect(s.events == 0)
        #expect(s.firstTimestamp == nil)
        #expect(s.activity.today.activeCustomers == 0)
        #expect(e.activity.daily(.lastSeen, days: 7, endingOn: 0) == Array(repeating: 0, count: 7))
        #expect(e.activity.daily(.events, days: 7, endingOn: 0) == Array(repeating: 0, count: 7))
        #expect(e.activity.hourly(.events, hours: 48, endingAt: 0).count == 48)
        #expect(e.customerSortInput(.revenue, now: 0).sorted(descending: true).isEmpty)
    }
}
