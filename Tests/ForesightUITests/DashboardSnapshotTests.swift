import ForesightCore
import ForesightTestSupport
import ForesightUI
import Testing

/// Every dashboard screen over `Fixtures/dashboard.jsonl`, at the smallest supported terminal (80x24) and a
/// large one (160x48). The expected screens are `Snapshots/dashboard-*.txt`; `FORESIGHT_RECORD_SNAPSHOTS=1`
/// re-records them. Each test also checks a few figures of the fixture on the screen, so that a
/// re-recorded snapshot cannot silently lose them.
struct DashboardSnapshotTests {
    static let small = Size(width: 80, height: 24)
    static let large = Size(width: 160, height: 48)

    func frame(_ size: Size, keys: [Key] = [], context: RenderContext = .standard,
               header: HeaderData = DashboardFixture.header) throws -> ScreenBuffer {
        try DashboardFixture.screen(size, keys: keys, context: context, header: header)
    }

    func name(_ base: String, _ size: Size) -> String { "dashboard-\(base)-\(size.width)x\(size.height)" }

    @Test(arguments: [small, large])
    func overview(size: Size) throws {
        let buffer = try frame(size)
        assertSnapshot(buffer, named: name("overview", size))
        let text = buffer.text
        // At 80 columns the six tab titles leave no room for the customer count.
        #expect(text.contains(size == Self.large ? "8 customers" : "6 Campaigns "))
        #expect(text.contains("35 events"))
        #expect(text.contains("2026-03-02 15:42"))
        #expect(text.contains("LIVE"))
        if size == Self.large {
            // bob's review and alice's ticket are in the tail: a rating and a sentiment, not money.
            #expect(text.contains("rated 5"))
            #expect(text.contains("sentiment -0.40"))
            #expect(!text.contains("$5.00") && !text.contains("-$0.40"))
        }
    }

    @Test func overviewBeforeTheFirstEvent() throws {
        // An empty log (or a stream that has not written yet): no watermark, so no "today" for the KPIs.
        let pipeline = IngestPipeline(sourceName: "events.jsonl")
        var state = DashboardState(size: Self.small)
        let buffer = DashboardFixture.frame(&state, pipeline)
        assertSnapshot(buffer, named: "dashboard-overview-empty-80x24")
        #expect(buffer.text.contains("6 Campaigns "), "six full tab titles when live")
        #expect(buffer.text.contains("No events yet"))
        #expect(buffer.text.contains("Active today"))
    }

    @Test func overviewWhileReplaying() throws {
        var header = DashboardFixture.header
        header.mode = .replaying
        header.bytesRead = 3 << 20
        header.totalBytes = 8 << 20
        header.secondsLeft = 95
        let buffer = try frame(Self.large, header: header)
        assertSnapshot(buffer, named: "dashboard-overview-replaying-160x48")
        #expect(buffer.text.contains("REPLAYING"))
        #expect(buffer.text.contains("Replaying 3.0 MiB of 8.0 MiB"))
    }

    @Test(arguments: [small, large])
    func overviewTailSelection(size: Size) throws {
        let buffer = try frame(size, keys: [.down, .down])
        assertSnapshot(buffer, named: name("overview-selected", size), includeStyles: size == Self.small)
    }

    @Test(arguments: [small, large])
    func customersByRevenue(size: Size) throws {
        let buffer = try frame(size, keys: [.char("2")])
        assertSnapshot(buffer, named: name("customers", size))
        let lines = buffer.lines()
        let bob = try #require(lines.firstIndex { $0.contains("bob") })
        let alice = try #require(lines.firstIndex { $0.contains("alice") })
        #expect(bob < alice)
        #expect(lines[bob].contains("$1.3k"))
        #expect(lines[alice].contains("$204"))
        #expect(buffer.text.contains("Customers: 8"))
    }

    @Test(arguments: [small, large])
    func customersSortedByTheNextColumns(size: Size) throws {
        // s moves the sort to the next column shown: at 160 columns Revenue, Sessions, Events; at 80, where
        // Sessions and Events are dropped for the scores, Revenue, Stage, Churn risk.
        let buffer = try frame(size, keys: [.char("2"), .char("s"), .char("s")])
        assertSnapshot(buffer, named: name("customers-by-events", size))
        #expect(buffer.text.contains(size == Self.large ? "sorted by Events, high to low" : "sorted by Churn risk, high to low"))
    }

    @Test(arguments: [small, large])
    func customersSearchResult(size: Size) throws {
        let buffer = try frame(size, keys: [.char("2"), .char("/"), .char("a"), .char("n"), .enter])
        assertSnapshot(buffer, named: name("customers-search", size))
        #expect(buffer.text.contains("Customers: 2 of 8 match \"an\""))
        #expect(buffer.text.contains("frank"))
        #expect(buffer.text.contains("anon-7f3a"))
        #expect(!buffer.text.contains("alice"))
    }

    @Test func customersSearchBeingTyped() throws {
        let buffer = try frame(Self.small, keys: [.char("2"), .char("/"), .char("c"), .char("a")])
        assertSnapshot(buffer, named: name("customers-typing", Self.small))
        #expect(buffer.text.contains("Search customer ids: ca_"))
    }

    @Test func customersSearchWithoutMatch() throws {
        let buffer = try frame(Self.small, keys: [.char("2"), .char("/"), .char("z"), .char("q"), .enter])
        assertSnapshot(buffer, named: name("customers-nomatch", Self.small))
        #expect(buffer.text.contains("No customer id contains \"zq\""))
    }

    @Test(arguments: [small, large])
    func customerDetail(size: Size) throws {
        // Sorted by revenue alice is second: down once, Enter.
        let buffer = try frame(size, keys: [.char("2"), .down, .enter])
        assertSnapshot(buffer, named: name("customer-alice", size))
        let text = buffer.text
        #expect(text.contains("alice"))
        #expect(text.contains("Alice Martin"))
        #expect(text.contains("$204.48"))
        #expect(text.contains("17 events"))
        #expect(text.contains("Support Ticket"))
        #expect(text.contains("sentiment -0.40"))
        #expect(text.contains("Email Opened"))
    }

    @Test func customerDetailScrolledBack() throws {
        let buffer = try frame(Self.small, keys: [.char("2"), .down, .enter, .home])
        assertSnapshot(buffer, named: name("customer-alice-top", Self.small))
        #expect(buffer.text.contains("scrolled back"))
        #expect(buffer.text.contains("2026-03-01 09:58"))
    }

    @Test func customerDetailOfLongId() throws {
        // Four times s: Sessions, Events, Stage, then Customer A to Z, where the long id is fifth.
        let keys: [Key] = [.char("2"), .char("s"), .char("s"), .char("s"), .char("s"), .down, .down, .down, .down, .enter]
        let buffer = try frame(Self.small, keys: keys)
        assertSnapshot(buffer, named: name("customer-longid", Self.small))
        #expect(buffer.text.contains("customer-wit"))
    }

    @Test(arguments: [small, large])
    func rejects(size: Size) throws {
        let buffer = try frame(size, keys: [.char("r")])
        assertSnapshot(buffer, named: name("rejects", size))
        let text = buffer.text
        #expect(text.contains("Rejected lines: 4"))
        #expect(text.contains("events.jsonl:15 "))
        #expect(text.contains("this is not json"))
    }

    @Test(arguments: [small, large])
    func help(size: Size) throws {
        let buffer = try frame(size, keys: [.char("?")])
        assertSnapshot(buffer, named: name("help", size))
        #expect(buffer.text.contains("Keys"))
        #expect(buffer.text.contains("pause or resume reading the log"))
    }

    @Test func tooSmall() throws {
        let buffer = try frame(Size(width: 60, height: 20))
        assertSnapshot(buffer, named: "dashboard-toosmall-60x20")
        #expect(buffer.text.contains("need at least 80x24, have 60x20"))
    }

    @Test(arguments: [small, large])
    func overviewASCII(size: Size) throws {
        let buffer = try frame(size, context: .ascii)
        assertSnapshot(buffer, named: name("overview-ascii", size))
        for line in buffer.lines() {
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII glyph in \(line)")
        }
    }

    @Test func overviewMonochrome() throws {
        let buffer = try frame(Self.small, context: .monochrome)
        assertSnapshot(buffer, named: name("overview-mono", Self.small), includeStyles: true)
        let legend = buffer.styleMap().filter { $0.contains(" = ") }
        #expect(!legend.isEmpty)
        #expect(legend.allSatisfy { !$0.contains("fg=") && !$0.contains("bg=") }, "colour in \(legend)")
    }
}
