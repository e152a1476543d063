import ForesightCore

/// The Overview: replay progress, KPI tiles, event rate, events by name, data quality and the live tail.
enum OverviewView {
    static func render(_ data: OverviewData, header: HeaderData, state: DashboardState, segments: SegmentsReport? = nil,
                       campaigns: CampaignsData? = nil, in area: Rect, into buffer: inout ScreenBuffer) {
        let size = state.size
        var rest = area
        let progressRow: Rect
        (progressRow, rest) = rest.splitTop(DashboardLayout.progressRows)
        renderProgress(header, data: data, in: progressRow, into: &buffer)

        let tilesArea: Rect
        (tilesArea, rest) = rest.splitTop(DashboardLayout.tileRows(size))
        renderTiles(data.kpis, in: tilesArea, perRow: size.width >= 120 ? 6 : 3, into: &buffer)

        let chartsArea: Rect
        (chartsArea, rest) = rest.splitTop(DashboardLayout.chartRows(size))
        let charts = size.width >= 120
            ? chartsArea.columns([.percent(40), .percent(33), .flexible(1)])
            : chartsArea.columns([.percent(50), .flexible(1)])
        renderRate(data, in: charts[0], qualityCaption: charts.count < 3, into: &buffer)
        renderNames(data, in: charts[1], into: &buffer)
        if charts.count > 2 { renderQuality(data, in: charts[2], into: &buffer) }

        // The segments (largest first, with their change) and who just moved, beside the tail when wide,
        // under it when there is height to spare.
        // The campaign triggers' totals and latest messages: under the segments when wide, else one line.
        if size.width >= 120, segments != nil || campaigns != nil {
            var side: Rect
            (rest, side) = rest.splitRight(max(44, rest.width * 2 / 5))
            if let campaigns {
                let panel: Rect
                (side, panel) = segments == nil ? (Rect(x: side.x, y: side.y, width: side.width, height: 0), side)
                    : side.splitBottom(max(5, side.height / 3))
                renderCampaigns(campaigns, in: panel, into: &buffer)
            }
            if let segments { renderSegments(segments, in: side, into: &buffer) }
        } else if size.width < 120, let campaigns, rest.height >= 6 {
            let line: Rect
            (rest, line) = rest.splitBottom(1)
            renderCampaignsLine(campaigns, in: line, into: &buffer)
        }
        if let segments, size.width < 120 {
            if rest.height >= 14 {
                let below: Rect
                (rest, below) = rest.splitBottom(rest.height * 2 / 5)
                renderSegments(segments, in: below, into: &buffer)
            } else if rest.height >= 6 {
                // Small screens: one line with the largest segments and the newest move.
                let line: Rect
                (rest, line) = rest.splitBottom(1)
                renderSegmentsLine(segments, in: line, into: &buffer)
            }
        }

        let tailTitle = "Live events (newest first)"
        buffer.render(Panel(title: tailTitle, note: "Enter opens the customer"), in: rest)
        let inner = Panel.contentArea(of: rest)
        let columns: [Table.Column] = [
            .init("Time (UTC)", width: .fixed(16)), .init("Customer", width: .flexible(minimum: 10, weight: 2)),
            .init("Event", width: .flexible(minimum: 14, weight: 3)), .init("Item", width: .flexible(minimum: 8, weight: 3)),
            .init("Amount", width: .fixed(10), alignment: .right), .init("Channel", width: .fixed(8)),
        ]
        let rows = data.tail.map { r in
            [Timestamp.short(r.time), r.customer, r.event] + itemAndAmount(r) + [r.channel]
        }
        let visible = Table.bodyHeight(in: inner)
        let offset = min(state.tail.offset, max(0, rows.count - visible))
        buffer.render(Table(columns: columns, rows: Array(rows.dropFirst(offset).prefix(visible)), firstRowIndex: offset,
                            totalRowCount: rows.count, selectedIndex: state.tail.selected,
                            emptyMessage: "No events yet: waiting for the log to grow"), in: inner)
    }

    /// The item and amount cells of a tail row. An event's number is money only for orders and products:
    /// a review carries its rating and a support ticket its sentiment, which goes with the item.
    static func itemAndAmount(_ r: TailRow) -> [String] {
        guard let amount = r.amount else { return [r.item ?? "", ""] }
        guard r.event == KnownEvent.supportTicketOpened.name else {
            return [r.item ?? "", CustomerDetailView.amountText(r.event, amount)]
        }
        let sentiment = "sentiment " + Format.decimal(amount, places: 2)
        return [r.item.map { $0 + ", " + sentiment } ?? sentiment, ""]
    }

    static func renderProgress(_ header: HeaderData, data: OverviewData, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        if header.mode == .replaying, let total = header.totalBytes, total > 0 {
            var label = "Replaying \(Format.bytes(header.bytesRead)) of \(Format.bytes(total))"
            label += ", \(Format.compact(header.eventsPerSecond)) events/s"
            if let left = header.secondsLeft { label += ", about \(Format.duration(seconds: left)) left" }
            buffer.render(ProgressBar(fraction: Double(header.bytesRead) / Double(total), label: label), in: area.inset(horizontal: 1, vertical: 0))
        } else {
            // Whole phrases only: what does not fit is left out (the figures are also in the panels below).
            let separator = buffer.context.glyphs.isASCII ? "  |  " : "  ·  "
            var text = "Following \(header.source)"
            for phrase in [Format.counted(data.totalEvents, "event"), Format.counted(data.duplicates, "duplicate") + " ignored",
                           Format.counted(data.rejected, "rejected line")] {
                guard (text + separator + phrase).displayWidth <= area.width - 2 else { break }
                text += separator + phrase
            }
            buffer.put(text, x: area.x + 1, y: area.y, style: theme.muted, maxWidth: area.width - 2)
        }
    }

    static let tileLabels = ["Active today", "Active 7 days", "Orders today", "Revenue today", "Conversion today",
                             "New customers today"]

    static func renderTiles(_ kpis: ActivityKPIs?, in area: Rect, perRow: Int, into buffer: inout ScreenBuffer) {
        guard let k = kpis else {
            // Before the first event: the tiles keep their place, with no figures yet.
            layTiles(tileLabels.map { KPITile(label: $0, value: "-") }, in: area, perRow: perRow, into: &buffer)
            return
        }
        let t = k.today, y = k.yesterdaySameTime
        let tiles: [KPITile] = [
            KPITile(label: "Active today", value: Format.integer(t.activeCustomers), delta: change(t.activeCustomers, y.activeCustomers)),
            KPITile(label: "Active 7 days", value: Format.integer(k.last7Days.activeCustomers),
                    delta: .init("\(Format.percent(k.last7Days.conversionRate)) of them bought", trend: .flat)),
            KPITile(label: "Orders today", value: Format.integer(t.orders), delta: change(t.orders, y.orders)),
            KPITile(label: "Revenue today", value: Format.money(t.revenue), delta: change(t.revenue, y.revenue)),
            KPITile(label: "Conversion today", value: Format.percent(t.conversionRate),
                    delta: pointsChange(t.conversionRate, y.conversionRate)),
            KPITile(label: "New customers today", value: Format.integer(t.newCustomers), delta: change(t.newCustomers, y.newCustomers)),
        ]
        layTiles(tiles, in: area, perRow: perRow, into: &buffer)
    }

    static func layTiles(_ tiles: [KPITile], in area: Rect, perRow: Int, into buffer: inout ScreenBuffer) {
        let rows = (tiles.count + perRow - 1) / perRow
        let rowAreas = area.equalRows(rows)
        for (r, rowArea) in rowAreas.enumerated() {
            let cells = rowArea.equalColumns(perRow, spacing: 1)
            for (c, cell) in cells.enumerated() where r * perRow + c < tiles.count {
                buffer.render(tiles[r * perRow + c], in: cell)
            }
        }
    }

    static let comparison = "vs yday"

    /// Change against the same time yesterday as a percentage, green when up.
    static func change(_ now: Int, _ before: Int) -> KPITile.Delta { change(Double(now), Double(before)) }

    static func change(_ now: Double, _ before: Double) -> KPITile.Delta {
        guard before > 0 else {
            return KPITile.Delta(now > 0 ? "new" : "same", trend: now > 0 ? .up : .flat, isGood: now > 0 ? true : nil, caption: comparison)
        }
        let f = (now - before) / before
        let trend: KPITile.Trend = abs(f) < 0.0005 ? .flat : (f > 0 ? .up : .down)
        return KPITile.Delta(Format.signedPercent(f), trend: trend, isGood: trend == .flat ? nil : f > 0, caption: comparison)
    }

    /// Change of a rate in percentage points.
    static func pointsChange(_ now: Double, _ before: Double) -> KPITile.Delta {
        let d = (now - before) * 100
        let trend: KPITile.Trend = abs(d) < 0.05 ? .flat : (d > 0 ? .up : .down)
        let text = (d >= 0 ? "+" : "") + Format.decimal(d, places: 1) + " pts"
        return KPITile.Delta(text, trend: trend, isGood: trend == .flat ? nil : d > 0, caption: comparison)
    }

    static func renderRate(_ data: OverviewData, in area: Rect, qualityCaption: Bool, into buffer: inout ScreenBuffer) {
        let total = data.hourly.reduce(0, +)
        let peak = data.hourly.max() ?? 0
        buffer.render(Panel(title: "Events per hour, last 48 h", note: "peak \(Format.compact(Double(peak)))/h"), in: area)
        let inner = Panel.contentArea(of: area)
        guard inner.height >= 2 else { return }
        let (chart, caption) = inner.splitBottom(1)
        buffer.render(Sparkline(values: data.hourly.map(Double.init), minimum: 0), in: chart)
        let theme = buffer.context.theme
        if qualityCaption {
            buffer.put("\(Format.integer(data.rejected)) rejected (r), " + Format.counted(data.duplicates, "duplicate"),
                       x: caption.x, y: caption.y, style: data.rejected > 0 ? theme.warning : theme.muted, maxWidth: caption.width)
        } else {
            buffer.put(Format.counted(total, "event") + " in 48 h of event time", x: caption.x, y: caption.y,
                       style: theme.muted, maxWidth: caption.width)
        }
    }

    static func renderNames(_ data: OverviewData, in area: Rect, into buffer: inout ScreenBuffer) {
        buffer.render(Panel(title: "Events by name", note: Format.counted(data.eventsByName.count, "name")), in: area)
        let inner = Panel.contentArea(of: area)
        let total = max(1, data.totalEvents)
        let bars = data.eventsByName.prefix(max(0, inner.height)).map {
            BarChart.Bar($0.name, value: Double($0.count), valueText: Format.compact(Double($0.count)), share: Double($0.count) / Double(total))
        }
        buffer.render(BarChart(bars: Array(bars)), in: inner)
    }

    static func renderQuality(_ data: OverviewData, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        buffer.render(Panel(title: "Data quality", note: data.rejected > 0 ? "r inspect" : nil), in: area)
        let inner = Panel.contentArea(of: area)
        var y = inner.y
        func line(_ text: String, _ style: Style) {
            guard y < inner.maxY else { return }
            buffer.put(text, x: inner.x, y: y, style: style, maxWidth: inner.width)
            y += 1
        }
        line(Format.counted(data.totalEvents, "event") + " accepted", theme.text)
        line(Format.counted(data.duplicates, "duplicate") + " ignored", theme.muted)
        line(Format.counted(data.rejected, "line") + " rejected", data.rejected > 0 ? theme.warning : theme.muted)
        for r in data.rejectedByReason { line("  \(Format.integer(r.count))  \(r.reason.label)", theme.text) }
    }

    /// "Campaigns: 429 sent · 47 held out · 238 suppressed | Cross-sell to alice 15:42": as many whole phrases as fit.
    static func renderCampaignsLine(_ data: CampaignsData, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let separator = buffer.context.glyphs.isASCII ? ", " : " · "
        var text = "Campaigns: " + campaignTotals(data, separator: separator)
        if let newest = data.sent.first {
            let move = " | " + newest.trigger + " to " + newest.customer + " " + String(Timestamp.short(newest.time).suffix(5))
            if (text + move).displayWidth <= area.width - 2 { text += move }
        }
        buffer.put(text, x: area.x + 1, y: area.y, style: theme.muted, maxWidth: area.width - 2)
    }

    static func campaignTotals(_ data: CampaignsData, separator: String) -> String {
        Format.integer(data.totalSent) + " sent" + separator + Format.integer(data.totalHeldOut) + " held out" + separator
            + Format.integer(data.totalSuppressed) + " suppressed"
    }

    /// The triggers' totals, then the newest messages sent: time, customer, trigger, channel.
    static func renderCampaigns(_ data: CampaignsData, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let separator = buffer.context.glyphs.isASCII ? ", " : " · "
        buffer.render(Panel(title: "Campaigns", note: Format.counted(data.triggerCount, "trigger") + separator + "6 for details"), in: area)
        let inner = Panel.contentArea(of: area)
        guard inner.height > 0 else { return }
        var totals = campaignTotals(data, separator: separator)
        if data.waiting > 0 { totals += separator + Format.integer(data.waiting) + " waiting" }
        buffer.put(totals, x: inner.x, y: inner.y, style: theme.accent, maxWidth: inner.width)
        guard !data.sent.isEmpty else {
            buffer.put(data.triggerCount == 0 ? "No trigger defined (triggers: in the configuration)." : "No message sent yet.",
                       x: inner.x, y: inner.y + 1, style: theme.muted, maxWidth: inner.width)
            return
        }
        let newestDay = data.sent.first.map { Timestamp.day($0.time) }
        for (i, r) in data.sent.prefix(max(0, inner.height - 1)).enumerated() {
            let y = inner.y + 1 + i
            let stamp = Timestamp.short(r.time)
            let time = String(Timestamp.day(r.time) == newestDay ? stamp.suffix(5) : stamp.dropFirst(5).prefix(5)) + " "
            buffer.put(time, x: inner.x, y: y, style: theme.muted)
            let message = " " + r.channel + (r.delayed ? " (" + r.outcome + ")" : "")
            let customerWidth = min(14, max(6, (inner.width - 6) / 3))
            buffer.put(r.customer, x: inner.x + 6, y: y, style: theme.text, maxWidth: customerWidth)
            let x = inner.x + 6 + customerWidth + 1
            let written = buffer.put(r.trigger, x: x, y: y, style: theme.positive, maxWidth: max(1, inner.maxX - x - message.displayWidth))
            buffer.put(message, x: x + written, y: y, style: theme.muted, maxWidth: max(0, inner.maxX - x - written))
        }
    }

    /// "Segments: Active today 6 · Buyers 3 · … | alice entered Buyers": as many whole phrases as fit.
    static func renderSegmentsLine(_ report: SegmentsReport, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let rows = report.rows.sorted { $0.size != $1.size ? $0.size > $1.size : $0.name < $1.name }
        var text = "Segments:"
        let separator = buffer.context.glyphs.isASCII ? ", " : " · "
        let move = report.ticker.first.map { " | " + $0.customer + ($0.entered ? " entered " : " left ") + $0.segment } ?? ""
        for (i, row) in rows.enumerated() {
            let phrase = (i == 0 ? " " : separator) + row.name + " " + Format.integer(row.size)
            guard (text + phrase + move).displayWidth <= area.width - 2 else { break }
            text += phrase
        }
        if (text + move).displayWidth <= area.width - 2 { text += move }
        buffer.put(text, x: area.x + 1, y: area.y, style: theme.muted, maxWidth: area.width - 2)
    }

    /// The largest segments with their change since the last sample, then the newest entries and exits.
    static func renderSegments(_ report: SegmentsReport, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let (top, bottom) = area.height >= 10 ? area.splitTop(area.height / 2) : (area, Rect(x: area.x, y: area.maxY, width: area.width, height: 0))
        buffer.render(Panel(title: "Segments", note: "customers · share · change in 1 h"), in: top)
        let inner = Panel.contentArea(of: top)
        let rows = report.rows.sorted { $0.size != $1.size ? $0.size > $1.size : $0.name < $1.name }
        if rows.isEmpty {
            buffer.put("No segment defined (segments: in the configuration).", x: inner.x, y: inner.y, style: theme.muted,
                       maxWidth: inner.width)
        }
        for (i, row) in rows.prefix(max(0, inner.height)).enumerated() {
            let y = inner.y + i
            let change = row.change.map { $0 == 0 ? "" : ($0 > 0 ? "+" : "") + Format.integer($0) } ?? ""
            let figures = Format.integer(row.size) + " " + Format.percent(row.share, places: 0).leftPadded(to: 4)
            let changeWidth = 7
            let nameWidth = max(4, inner.width - figures.count - changeWidth - 2)
            buffer.put(row.name, x: inner.x, y: y, style: theme.text, maxWidth: nameWidth)
            buffer.put(figures, x: inner.maxX - changeWidth - 1 - figures.count, y: y, style: theme.accent)
            let changeStyle = (row.change ?? 0) > 0 ? theme.positive : theme.warning
            buffer.put(change.leftPadded(to: changeWidth), x: inner.maxX - changeWidth, y: y, style: changeStyle, maxWidth: changeWidth)
        }
        guard bottom.height >= 3 else { return }
        SegmentsView.ticker(report, in: bottom, into: &buffer)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
