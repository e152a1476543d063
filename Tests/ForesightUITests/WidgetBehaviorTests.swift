import ForesightUI
import Testing

/// Properties of widgets that matter beyond one snapshot: what must stay visible, highlighted or cheap.
struct WidgetBehaviorTests {
    static let viewNames = ["Overview", "Customers", "Detail", "Segments", "Journeys", "Campaigns", "Models"]

    @Test(arguments: [80, 100, 160])
    func tabBarShowsEveryKeyAndTheActiveTitle(width: Int) {
        var buffer = ScreenBuffer(width: width, height: 1)
        let tabs = WidgetBehaviorTests.viewNames.map { TabBar.Tab($0) }
        TabBar(tabs: tabs, activeIndex: 3, status: "LIVE").render(in: buffer.area, into: &buffer)
        let line = buffer.text
        for key in 1...7 { #expect(line.contains(" \(key) ")) }
        #expect(line.contains("4 Segments"))
        #expect(line.hasSuffix("LIVE"))
        let start = line.distance(from: line.startIndex, to: line.range(of: "4 Segments")?.lowerBound ?? line.endIndex)
        #expect(buffer[start, 0].style.isReverse)
        #expect(!buffer[0, 0].style.isReverse)
    }

    @Test func tabBarPrefersShortTitlesOverCutting() {
        var buffer = ScreenBuffer(width: 60, height: 1)
        let tabs = WidgetBehaviorTests.viewNames.map { TabBar.Tab($0, shortTitle: String($0.prefix(4))) }
        TabBar(tabs: tabs, activeIndex: 0).render(in: buffer.area, into: &buffer)
        #expect(buffer.text == " 1 Over  2 Cust  3 Deta  4 Segm  5 Jour  6 Camp  7 Mode")
    }

    @Test func tableHighlightsOnlyTheSelectedRowAndDrawsOnlyWhatFits() {
        var buffer = ScreenBuffer(width: 30, height: 4)
        let rows = (0..<10).map { ["row \($0)", "\($0 * 10)"] }
        let table = Table(
            columns: [.init("Name", width: .flexible(minimum: 5, weight: 1)), .init("N", width: .fixed(4), alignment: .right)],
            rows: rows, firstRowIndex: 100, totalRowCount: 1_000, selectedIndex: 101)
        table.render(in: buffer.area, into: &buffer)
        let lines = buffer.lines()
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("row 0"))
        #expect(lines[3].hasPrefix("row 2"))
        #expect(buffer[0, 2].style.isReverse && buffer[20, 2].style.isReverse)
        #expect(!buffer[0, 1].style.isReverse && !buffer[0, 3].style.isReverse)
        #expect(table.columnWidths(for: 29) == [24, 4])
    }

    @Test func tableWindowCostsTheSameWhateverTheTotal() {
        let columns = [Table.Column("Id", width: .fixed(8))]
        var small = ScreenBuffer(width: 10, height: 5)
        var huge = ScreenBuffer(width: 10, height: 5)
        let window = (0..<4).map { ["c\($0)"] }
        Table(columns: columns, rows: window, totalRowCount: 4).render(in: small.area, into: &small)
        Table(columns: columns, rows: window, totalRowCount: 400_000).render(in: huge.area, into: &huge)
        // Same text; the long list only adds a scroll indicator in the last column.
        let trimmed = { (line: String) in String(line.prefix(9)).trimmingSuffix(" ") }
        #expect(small.lines().map(trimmed) == huge.lines().map(trimmed))
        #expect(huge[9, 1].character == GlyphSet.unicode.scrollThumb)
        #expect(small[9, 1].character == " ")
    }

    @Test func scrollbarThumbTracksTheOffset() {
        #expect(Scrollbar(offset: 0, visibleCount: 10, totalCount: 100).thumb(height: 10) == (0, 1))
        #expect(Scrollbar(offset: 90, visibleCount: 10, totalCount: 100).thumb(height: 10) == (9, 1))
        #expect(Scrollbar(offset: 0, visibleCount: 10, totalCount: 20).thumb(height: 10) == (0, 5))
        #expect(!Scrollbar(offset: 0, visibleCount: 10, totalCount: 10).isNeeded)
    }

    @Test func sparklineAveragesLongSeriesIntoBuckets() {
        #expect(Sparkline.resample([1, 3, 5, 7], to: 2) == [2, 6])
        #expect(Sparkline.resample([1, 2], to: 5) == [1, 2])
        let gaps = Sparkline.resample([.nan, .nan, 4, 6], to: 2)
        #expect(gaps[0].isNaN && gaps[1] == 5)
    }

    @Test func sparklineShowsTheNewestValueInItsLastColumn() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        Sparkline(values: Array(repeating: 0, count: 99) + [100]).render(in: buffer.area, into: &buffer)
        #expect(buffer.text == "▁▁▁█")
    }

    @Test func progressBarClampsAndHandlesNaN() {
        var buffer = ScreenBuffer(width: 20, height: 2, context: .ascii)
        ProgressBar(fraction: 3).render(in: buffer.area.row(0), into: &buffer)
        ProgressBar(fraction: .nan).render(in: buffer.area.row(1), into: &buffer)
        #expect(buffer.lines() == ["############### 100%", "...............   0%"])
    }

    @Test func modalIsCentredAndShrinksToTheScreen() {
        let modal = Modal(title: "Help", lines: Array(repeating: StyledLine("x"), count: 40))
        let frame = modal.frame(in: Rect(width: 80, height: 24))
        #expect(frame == Rect(x: 25, y: 1, width: 30, height: 22))
        #expect(modal.visibleLineCount(in: Rect(width: 80, height: 24)) == 18)
    }

    @Test func tooSmallMessageNamesBothSizesAndWraps() {
        let screen = TerminalTooSmall(actual: Size(width: 60, height: 20))
        #expect(screen.message == "terminal too small: need at least 80x24, have 60x20")
        #expect(TerminalTooSmall.wrap(screen.message, width: 20) == ["terminal too small:", "need at least 80x24,", "have 60x20"])
        #expect(TerminalTooSmall.wrap("abcdefgh", width: 3) == ["abc", "def", "gh"])
        var tiny = ScreenBuffer(width: 12, height: 3)
        TerminalTooSmall(actual: Size(width: 12, height: 3)).render(in: tiny.area, into: &tiny)
        #expect(tiny.lines()[0] == "terminal too")
    }

    @Test func renderThroughTheBufferHelper() {
        var buffer = ScreenBuffer(width: 10, height: 3)
        buffer.render(Panel(title: "Hi"), in: buffer.area)
        #expect(buffer.lines()[0] == "┌ Hi ────┐")
    }
}

extension String {
    fileprivate func trimmingSuffix(_ character: Character) -> String {
        var copy = self
        while copy.last == character { copy.removeLast() }
        return copy
    }
}
