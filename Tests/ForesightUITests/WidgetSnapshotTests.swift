import ForesightTestSupport
import ForesightUI
import Testing

/// Each widget drawn at a small size three ways: Unicode in colour (text and styles), ASCII (text), and
/// monochrome (text and styles, which must keep bold and reverse but no colour). The expected screens
/// are in `Snapshots/`; `FORESIGHT_RECORD_SNAPSHOTS=1` re-records them.
struct WidgetSnapshotTests {
    static let variants: [(suffix: String, context: RenderContext, styles: Bool)] = [
        ("unicode", .standard, true), ("ascii", .ascii, false), ("mono", .monochrome, true),
    ]

    func snapshot(
        _ name: String, width: Int, height: Int, sourceLocation: SourceLocation = #_sourceLocation,
        _ draw: (inout ScreenBuffer) -> Void
    ) {
        for variant in WidgetSnapshotTests.variants {
            var buffer = ScreenBuffer(width: width, height: height, context: variant.context)
            draw(&buffer)
            assertSnapshot(buffer, named: "\(name).\(variant.suffix)", includeStyles: variant.styles,
                           sourceLocation: sourceLocation)
        }
    }

    static let tabs = ["Overview", "Customers", "Detail", "Segments", "Journeys", "Campaigns", "Models"]
        .map { TabBar.Tab($0) }

    @Test func panel() {
        snapshot("panel", width: 56, height: 5) { buffer in
            let (left, right) = buffer.area.splitLeft(34)
            Panel(title: "Customers", note: "12 of 400").render(in: left, into: &buffer)
            Panel(title: "A very long panel title", isFocused: true).render(in: right, into: &buffer)
            buffer.put("inside", x: 2, y: 1)
        }
    }

    @Test func tabBar() {
        snapshot("tabbar", width: 100, height: 4) { buffer in
            let bullet = String(buffer.context.glyphs.bullet)
            let status = StyledLine([TextSpan(bullet + " ", style: Style(fg: .green)), TextSpan("LIVE")])
            TabBar(tabs: WidgetSnapshotTests.tabs, activeIndex: 1, status: status)
                .render(in: buffer.area.row(0), into: &buffer)
            TabBar(tabs: WidgetSnapshotTests.tabs, activeIndex: 1, status: status)
                .render(in: Rect(x: 0, y: 1, width: 80, height: 1), into: &buffer)
            TabBar(tabs: WidgetSnapshotTests.tabs, activeIndex: 6)
                .render(in: Rect(x: 0, y: 2, width: 50, height: 1), into: &buffer)
            TabBar(tabs: WidgetSnapshotTests.tabs, activeIndex: 0)
                .render(in: Rect(x: 0, y: 3, width: 22, height: 1), into: &buffer)
        }
    }

    @Test func statusBar() {
        let hints = [StatusBar.Hint("q", "quit"), .init("?", "help"), .init("/", "search"), .init("s", "sort")]
        snapshot("statusbar", width: 50, height: 2) { buffer in
            StatusBar(hints: hints, message: StyledLine("replaying 62%")).render(in: buffer.area.row(0), into: &buffer)
            StatusBar(hints: hints, message: StyledLine("paused", style: Style(fg: .yellow, bold: true)))
                .render(in: Rect(x: 0, y: 1, width: 24, height: 1), into: &buffer)
        }
    }

    @Test func kpiTile() {
        snapshot("kpi", width: 60, height: 9) { buffer in
            let tiles = Rect(width: 60, height: 4).equalColumns(3)
            KPITile(label: "Active customers", value: "12.3k",
                    delta: .init("+4.2%", trend: .up, isGood: true, caption: "vs 7d")).render(in: tiles[0], into: &buffer)
            KPITile(label: "Churn risk", value: "8.1%",
                    delta: .init("+0.6pt", trend: .up, isGood: false)).render(in: tiles[1], into: &buffer)
            KPITile(label: "Revenue", value: "$1.2M", delta: .init("0.0%", trend: .flat)).render(in: tiles[2], into: &buffer)
            KPITile(label: "Orders", value: "3,402", delta: .init("-12", trend: .down, isGood: false))
                .render(in: Rect(x: 0, y: 5, width: 20, height: 3), into: &buffer)
            KPITile(label: "CLV", value: "$212", delta: .init("+3%", trend: .up, isGood: true))
                .render(in: Rect(x: 22, y: 5, width: 38, height: 1), into: &buffer)
        }
    }

    @Test func sparkline() {
        let wave = (0..<40).map { Double(($0 * 7) % 23) }
        snapshot("sparkline", width: 30, height: 5) { buffer in
            Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 7, 5, 3, 1, 0])
                .render(in: Rect(x: 0, y: 0, width: 30, height: 1), into: &buffer)
            Sparkline(values: wave).render(in: Rect(x: 0, y: 1, width: 30, height: 3), into: &buffer)
            Sparkline(values: [5, 5, 5, .nan, 5]).render(in: Rect(x: 0, y: 4, width: 30, height: 1), into: &buffer)
        }
    }

    @Test func barChart() {
        let bars = [
            BarChart.Bar("Email", value: 1_204, valueText: "1,204", share: 0.412),
            BarChart.Bar("Web", value: 688, valueText: "688", share: 0.235),
            BarChart.Bar("Push notifications", value: 9, valueText: "9", share: 0.003),
            BarChart.Bar("SMS", value: 0, valueText: "0", share: 0),
        ]
        snapshot("barchart", width: 44, height: 4) { buffer in
            BarChart(bars: bars, selectedIndex: 1).render(in: buffer.area, into: &buffer)
        }
    }

    @Test func table() {
        let columns = [
            Table.Column("#", width: .fixed(3), alignment: .right),
            Table.Column("Customer", width: .flexible(minimum: 8, weight: 2)),
            Table.Column("Stage", width: .flexible(minimum: 6, weight: 1)),
            Table.Column("Revenue", width: .fixed(9), alignment: .right),
            Table.Column("P(alive)", width: .fixed(8), alignment: .right, style: Style(fg: .cyan)),
        ]
        let rows = (5..<12).map { index in
            ["\(index + 1)", "cust-\(10_000 + index * 37)", index % 3 == 0 ? "At risk" : "Loyal",
             Format.money(Double(index) * 1_234.5), Format.decimal(1 - Double(index) / 20, places: 2)]
        }
        snapshot("table", width: 50, height: 7) { buffer in
            Table(columns: columns, rows: rows, firstRowIndex: 5, totalRowCount: 40, selectedIndex: 7,
                  sort: .init(column: 3, ascending: false), rowStyles: rows.map { $0[2] == "At risk" ? Style(fg: .red) : .plain })
                .render(in: buffer.area, into: &buffer)
        }
        snapshot("table-empty", width: 30, height: 3) { buffer in
            Table(columns: Array(columns.prefix(3)), rows: [], emptyMessage: "No customers match")
                .render(in: buffer.area, into: &buffer)
        }
    }

    @Test func textList() {
        let items = (1...10).map { index in
            StyledLine([TextSpan(String(format2(index)) + " ", style: Style(dim: true)),
                        TextSpan(index % 4 == 0 ? "Order Completed" : "Product Viewed")])
        }
        snapshot("textlist", width: 30, height: 5) { buffer in
            TextList(items: items, offset: 2, selectedIndex: 4, showsPointer: true).render(in: buffer.area, into: &buffer)
        }
    }

    @Test func modal() {
        let lines: [StyledLine] = [
            StyledLine([TextSpan("1-7  ", style: Style(bold: true)), TextSpan("switch view")]),
            StyledLine([TextSpan("j k  ", style: Style(bold: true)), TextSpan("move")]),
            StyledLine([TextSpan("q    ", style: Style(bold: true)), TextSpan("quit")]),
        ]
        snapshot("modal", width: 50, height: 11) { buffer in
            for row in 0..<11 { buffer.put(String(repeating: "background ", count: 5), x: 0, y: row) }
            Modal(title: "Help", lines: lines, footer: "Esc close").render(in: buffer.area, into: &buffer)
        }
    }

    @Test func terminalTooSmall() {
        snapshot("toosmall", width: 40, height: 7) { buffer in
            TerminalTooSmall(actual: Size(width: 40, height: 7)).render(in: buffer.area, into: &buffer)
        }
    }

    @Test func progressBar() {
        snapshot("progress", width: 40, height: 3) { buffer in
            ProgressBar(fraction: 0.62, label: "Replaying").render(in: buffer.area.row(0), into: &buffer)
            ProgressBar(fraction: 1).render(in: buffer.area.row(1), into: &buffer)
            ProgressBar(fraction: 0.03, label: "Loading", showsPercentage: false).render(in: buffer.area.row(2), into: &buffer)
        }
    }
}

private func format2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
