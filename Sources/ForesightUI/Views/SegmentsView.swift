import ForesightCore

/// Every segment with its live size, change and trend; the selected one's definition; who entered or left
/// which segment and why; the moves between segments this week. Enter lists the selected segment's members.
enum SegmentsView {
    static let trendWidth = 12

    static func render(_ report: SegmentsReport?, list: ListState, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        guard let report else {
            buffer.render(Panel(title: "Segments"), in: area)
            let inner = Panel.contentArea(of: area)
            buffer.put("Segments are not kept for this log (no configuration was loaded).", x: inner.x, y: inner.y,
                       style: theme.muted, maxWidth: inner.width)
            return
        }
        let wide = area.width >= 120
        let (left, right) = wide ? area.splitRight(area.width * 2 / 5) : (area, Rect(x: area.x, y: area.maxY, width: 0, height: 0))
        table(report, list: list, in: left, into: &buffer)
        guard wide else { return }
        let (top, bottom) = right.splitTop(max(6, right.height * 3 / 5))
        ticker(report, in: top, into: &buffer)
        migrations(report, in: bottom, into: &buffer)
    }

    static func table(_ report: SegmentsReport, list: ListState, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let problems = report.problems.isEmpty ? "" : " · " + Format.counted(report.problems.count, "problem") + " in the configuration"
        buffer.render(Panel(title: "Segments: \(report.rows.count)", note: NSStringLike(path: report.configurationFile).lastComponent + problems), in: area)
        let inner = Panel.contentArea(of: area)
        let (info, tableArea) = inner.splitTop(1)
        if let first = report.problems.first {
            buffer.put(first.description, x: info.x, y: info.y, style: theme.warning, maxWidth: info.width)
        } else if list.selected < report.rows.count {
            let row = report.rows[list.selected]
            let text = row.definition + (row.description.map { "  · " + $0 } ?? "") + "   Enter: its customers"
            buffer.put(text, x: info.x, y: info.y, style: theme.muted, maxWidth: info.width)
        }
        let columns: [Table.Column] = [
            .init("Segment", width: .flexible(minimum: 16, weight: 1)),
            .init("Kind", width: .fixed(7)),
            .init("Customers", width: .fixed(9), alignment: .right),
            .init("Share", width: .fixed(6), alignment: .right),
            .init("Change", width: .fixed(7), alignment: .right),
            .init("Trend", width: .fixed(trendWidth)),
        ]
        let rows = report.rows.enumerated().map { i, r -> [String] in
            let change = r.change.map { $0 == 0 ? "0" : ($0 > 0 ? "+" : "") + Format.integer($0) } ?? "-"
            let trend = i < report.sparklines.count ? sparkline(report.sparklines[i], glyphs: buffer.context.glyphs.sparkline) : ""
            return [r.name, r.kind.rawValue, Format.integer(r.size), Format.percent(r.share, places: 1), change, trend]
        }
        let visible = max(0, tableArea.height - 1)
        let offset = list.selected < visible ? 0 : list.selected - visible + 1
        buffer.render(Table(columns: columns, rows: Array(rows.dropFirst(offset).prefix(visible)), firstRowIndex: offset,
                            totalRowCount: rows.count, selectedIndex: list.selected,
                            emptyMessage: "No segment defined: add some under segments: in the configuration"), in: tableArea)
    }

    /// A text sparkline of the last `trendWidth` sizes, scaled between their minimum and maximum.
    static func sparkline(_ sizes: [Int?], glyphs: [Character]) -> String {
        let known = sizes.suffix(trendWidth)
        let values = known.compactMap { $0 }
        guard let low = values.min(), let high = values.max(), !glyphs.isEmpty else { return "" }
        return String(known.map { size -> Character in
            guard let size else { return " " }
            let level = high == low ? 0 : (size - low) * (glyphs.count - 1) / (high - low)
            return glyphs[level]
        })
    }

    static func ticker(_ report: SegmentsReport, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        buffer.render(Panel(title: "Entered and left", note: "newest first"), in: area)
        let inner = Panel.contentArea(of: area)
        guard !report.ticker.isEmpty else {
            buffer.put("Nobody has moved yet.", x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
            return
        }
        // The time of day for the newest move's day, the date ("03-01") for an earlier day.
        let newestDay = report.ticker.first.map { Timestamp.day($0.time) }
        for (i, line) in report.ticker.prefix(inner.height).enumerated() {
            let stamp = Timestamp.short(line.time)
            let time = String(Timestamp.day(line.time) == newestDay ? stamp.suffix(5) : stamp.dropFirst(5).prefix(5)) + " "
            buffer.put(time, x: inner.x, y: inner.y + i, style: theme.muted)
            buffer.put(line.text, x: inner.x + 6, y: inner.y + i, style: line.entered ? theme.positive : theme.warning,
                       maxWidth: inner.width - 6)
        }
    }

    static func migrations(_ report: SegmentsReport, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        buffer.render(Panel(title: "Moves between segments", note: "last 7 days"), in: area)
        let inner = Panel.contentArea(of: area)
        guard !report.migrations.isEmpty else {
            buffer.put("No moves in the last 7 days.", x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
            return
        }
        let arrow = buffer.context.glyphs.ellipsis == "…" ? " → " : " -> "  // the Unicode set has a one-cell ellipsis
        for (i, move) in report.migrations.prefix(inner.height).enumerated() {
            let count = Format.integer(move.count)
            buffer.put(move.from + arrow + move.to, x: inner.x, y: inner.y + i, style: theme.text, maxWidth: inner.width - count.count - 1)
            buffer.put(count, x: inner.maxX - count.count, y: inner.y + i, style: theme.accent)
        }
    }
}

/// The last path component of a file path, without Foundation.
private struct NSStringLike {
    let path: String
    var lastComponent: String { path.split(separator: "/").last.map(String.init) ?? path }
}
