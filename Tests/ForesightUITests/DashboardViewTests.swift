import ForesightCore
import ForesightTestSupport
import ForesightUI
import Testing

/// Properties of the rendered screens that hold for any data: what is selected is visible, titles are
/// not cut, the ASCII glyph set draws only ASCII.
struct DashboardViewTests {
    static let small = Size(width: 80, height: 24)
    static let large = Size(width: 160, height: 48)

    /// Rows of `buffer` below the tab bar drawn in the selection style (reverse) at column `x`.
    func selectedRows(_ buffer: ScreenBuffer, x: Int = 1) -> [Int] {
        (1..<buffer.height).filter { buffer[x, $0].style.attributes.contains(.reverse) }
    }

    /// The fixture plus `count` browsing customers (c001…), so that the customers table scrolls.
    func crowdedPipeline(count: Int = 40) throws -> IngestPipeline {
        var pipeline = try DashboardFixture.pipeline()
        let lines = (1...count).map { i in
            #"{"event":"Product Viewed","userId":"c\#(String(1000 + i).dropFirst())","timestamp":"2026-03-02T11:00:00Z","properties":{"product_id":"p1"}}"#
        }
        pipeline.engine.ingest(lines: lines.joined(separator: "\n"))
        return pipeline
    }

    @Test(arguments: [small, large])
    func overviewTailEndIsOnScreen(size: Size) throws {
        // The live tail keeps more events than it shows: End selects the oldest, which is scrolled into
        // view on the last row, and the scroll bar's thumb sits at the bottom.
        let buffer = try DashboardFixture.screen(size, keys: [.end])
        let tailRows = DashboardLayout.tailRows(size)
        let lastRow = size.height - 3
        #expect(selectedRows(buffer) == [lastRow], "the selected last event of the tail is not on screen")
        let scrollbarColumn = size.width - 2
        let thumbs = (lastRow - tailRows + 1...lastRow).filter { buffer[scrollbarColumn, $0].character == "█" }
        #expect(thumbs.last == lastRow, "the scroll bar does not show the list scrolled to its end")
    }

    @Test(arguments: CustomerColumn.allCases)
    func customersHeaderKeepsTheSortedTitleWhole(column: CustomerColumn) throws {
        // 80 columns with a scroll bar is the tightest the table gets; columns it drops are checked at 160.
        let pipeline = try crowdedPipeline()
        let atSmall: [CustomerColumn] = [.id, .lastSeen, .orders, .revenue, .stage, .churnRisk, .clv]
        let size = atSmall.contains(column) ? Self.small : Self.large
        let shown = atSmall.contains(column) ? atSmall : CustomerColumn.allCases
        let steps = (shown.firstIndex(of: column)! - shown.firstIndex(of: .revenue)! + shown.count) % shown.count
        let keys = [Key.char("2")] + Array(repeating: Key.char("s"), count: steps)
        let buffer = try DashboardFixture.screen(size, keys: keys, pipeline: pipeline)
        let lines = buffer.lines()
        let header = lines[3]
        let mark = column.defaultDescending ? "▼" : "▲"
        #expect(header.contains("\(column.title) \(mark)"), "header: \(header)")
        #expect(!header.contains("…"), "a title is cut: \(header)")
        #expect(lines.contains { $0.contains("Consideration") }, "the longest stage is cut:\n\(buffer.text)")
    }

    @Test(arguments: [small, large])
    func timelineColumnsStayAlignedWhenNamesAreCut(size: Size) throws {
        // alice's first two sessions: cut event names ("Product Added to Wishlist" at 80 columns) must not
        // push the item column to the right.
        let buffer = try DashboardFixture.screen(size, keys: [.char("2"), .down, .enter, .home])
        let rows = buffer.lines().filter { $0.contains("2026-03-01 1") && $0.contains("(") }
        #expect(rows.count >= (size == Self.small ? 2 : 4))
        let itemColumns = Set(rows.compactMap { row -> Int? in
            guard let start = row.range(of: "p0")?.lowerBound else { return nil }
            return row.distance(from: row.startIndex, to: start)
        })
        #expect(itemColumns.count == 1, "items start at columns \(itemColumns):\n\(rows.joined(separator: "\n"))")
        #expect(rows.allSatisfy { !$0.contains(" …") }, "a name cut after a space")
    }

    static let screens: [(name: String, keys: [Key])] = [
        ("overview", []), ("help", [.char("?")]), ("customers", [.char("2")]), ("search", [.char("2"), .char("/"), .char("a")]),
        ("customer", [.char("2"), .down, .enter]), ("rejects", [.char("r")]),
    ]

    @Test(arguments: [small, large])
    func asciiGlyphsDrawOnlyASCII(size: Size) throws {
        // Under a non-UTF-8 locale the backend draws with the ASCII set: any other character is garbage
        // there. (The fixture's data on these screens is ASCII.)
        for screen in Self.screens {
            let buffer = try DashboardFixture.screen(size, keys: screen.keys, context: .ascii)
            let bad = buffer.lines().filter { !$0.unicodeScalars.allSatisfy { $0.isASCII } }
            #expect(bad.isEmpty, "\(screen.name) at \(size.width)x\(size.height):\n\(bad.joined(separator: "\n"))")
        }
    }

    @Test func phrasesAreLeftOutRatherThanCut() throws {
        let buffer = try DashboardFixture.screen(Self.small)
        let line = buffer.lines()[1]
        #expect(line.hasPrefix(" Following events.jsonl  ·  35 events  ·  1 duplicate ignored"))
        #expect(!line.contains("…"), "\(line)")
    }

    @Test func tabTitlesWinOverTheStatusAt80Columns() throws {
        var header = DashboardFixture.header
        header.mode = .replaying
        header.eventsPerSecond = 18_800
        let small = try DashboardFixture.screen(Self.small, header: header).lines()[0]
        #expect(small.contains("2 Customers ") && small.contains("5 Journeys "), "\(small)")
        // With six tabs the customer count gives way to the titles, and Campaigns to its short title while
        // replaying (both show when live: see the overview snapshot).
        #expect(small.contains("6 Camp. ") && small.contains("REPLAYING"), "\(small)")
        let large = try DashboardFixture.screen(Self.large, header: header).lines()[0]
        #expect(large.contains("18.8k ev/s") && large.contains("2026-03-02 15:42 UTC"), "\(large)")
    }

    @Test func customersTableScrollsToTheLastCustomer() throws {
        let pipeline = try crowdedPipeline()
        let buffer = try DashboardFixture.screen(Self.small, keys: [.char("2"), .end], pipeline: pipeline)
        #expect(selectedRows(buffer) == [Self.small.height - 3])
        #expect(buffer.text.contains("Customers: 48"))
    }
}
