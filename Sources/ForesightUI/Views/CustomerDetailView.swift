import ForesightCore

/// One customer: profile, consent, aggregates, and the journey timeline with session breaks.
enum CustomerDetailView {
    static func render(_ data: DetailData, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let d = data.detail
        let size = Size(width: buffer.width, height: buffer.height)
        let (top, below) = area.splitTop(DashboardLayout.profileHeight(size))
        let (scoreBlock, lower) = below.splitTop(DashboardLayout.scoresHeight(size))
        let panels = top.columns([.flexible(1), .flexible(1), .flexible(1)])
        scores(data, in: scoreBlock, into: &buffer)

        func fields(_ rows: [(String, String)], in panel: Rect, title: String) {
            buffer.render(Panel(title: title), in: panel)
            let inner = Panel.contentArea(of: panel)
            let labelWidth = min(14, inner.width / 2)
            for (i, (label, value)) in rows.prefix(inner.height).enumerated() {
                buffer.put(label, x: inner.x, y: inner.y + i, style: theme.muted, maxWidth: labelWidth)
                buffer.put(value, x: inner.x + labelWidth, y: inner.y + i, style: theme.text, maxWidth: inner.width - labelWidth)
            }
        }
        var place = [d.city, d.country].compactMap { $0 }.joined(separator: ", ")
        if place.isEmpty { place = "-" }
        // At 80 columns a value has 12 cells: a date keeps its day rather than being cut mid-time.
        let activity = Panel.contentArea(of: panels[1])
        let valueWidth = activity.width - min(14, activity.width / 2)
        let ago = d.daysSinceLastSeen == 0 ? "today" : "\(d.daysSinceLastSeen)d ago"
        let firstSeen = longest([shortISO(d.firstSeen), String(d.firstSeen.prefix(10))], fitting: valueWidth)
        let lastSeen = longest([shortISO(d.lastSeen) + " (" + ago + ")", String(d.lastSeen.prefix(10)) + " (" + ago + ")",
                                String(d.lastSeen.prefix(10))], fitting: valueWidth)
        fields([
            ("Customer", d.id), ("Name", d.name ?? "-"), ("Email", d.email ?? "-"), ("Location", place),
            ("Age", d.age.map(String.init) ?? "-"), ("Plan", d.plan ?? "-"), ("Time zone", d.timezone ?? "-"),
            ("Email opt-in", d.emailOptIn), ("SMS opt-in", d.smsOptIn),
        ], in: panels[0], title: "Profile")
        fields([
            ("Stage", d.stage), ("First seen", firstSeen), ("Last seen", lastSeen),
            ("Events", Format.integer(d.events)), ("Sessions", Format.integer(d.sessions)),
            ("Channels", d.channels.joined(separator: ", ")),
            ("Views / carts", "\(d.productViews) viewed, \(d.cartAdds) added, " + Format.counted(d.checkouts, "checkout")),
            ("Email", "\(d.emailsDelivered) sent, \(d.emailOpens) opened, \(d.emailClicks) clicked"),
            ("Support", Format.counted(d.supportTickets, "ticket")),
            ("Sentiment", d.meanSentiment.map { Format.decimal($0, places: 2) + " (tickets and reviews, -1 to 1)" } ?? "-"),
        ], in: panels[1], title: "Activity")
        fields([
            ("Orders", Format.integer(d.orders)), ("Revenue", Format.moneyExact(d.revenue)), ("Refunds", Format.moneyExact(d.refunds)),
            ("Avg order", Format.moneyExact(d.averageOrderValue)),
            ("Bought", d.productsBought.isEmpty ? "-" : d.productsBought.joined(separator: ", ")),
            ("Categories", d.categoriesBought.isEmpty ? "-" : d.categoriesBought.joined(separator: ", ")),
            ("Carted", d.productsCarted.isEmpty ? "-" : d.productsCarted.joined(separator: ", ")),
            ("Viewed", d.productsViewed.isEmpty ? "-" : d.productsViewed.joined(separator: ", ")),
        ], in: panels[2], title: "Value")

        // Her campaign messages: beside the timeline when wide, under it at 80 columns (only when she has some).
        var bottom = lower
        if let messages = data.messages {
            if area.width >= DashboardLayout.wideWidth {
                let side: Rect
                (bottom, side) = bottom.splitRight(min(66, bottom.width * 2 / 5))
                self.messages(messages, in: side, into: &buffer)
            } else if case let rows = DashboardLayout.messageRows(size, count: messages.count), rows > 0 {
                let below: Rect
                (bottom, below) = bottom.splitBottom(rows)
                self.messages(messages, in: below, into: &buffer)
            }
        }
        let following = data.timelineOffset + data.timeline.count >= data.timelineCount
        let note = Format.counted(data.timelineCount, "event") + (following ? ", following the newest" : ", scrolled back")
        let inSegments = data.segments.map { $0.isEmpty ? " · in no segment" : " · in " + $0.joined(separator: ", ") } ?? ""
        buffer.render(Panel(title: "Journey timeline" + inSegments, note: note), in: bottom)
        let (lane, inner) = Panel.contentArea(of: bottom).splitTop(1)
        swimlane(data, in: lane, into: &buffer)
        // Column widths follow the panel: event and item names share what the marker (2), time (18), channel (8)
        // and the amount with the scroll bar (16, "sentiment -0.40") leave. Each column ends with a space.
        let free = max(20, inner.width - 2 - 18 - 8 - 16)
        let eventWidth = min(26, max(16, free / 2)), itemWidth = min(40, max(8, free - eventWidth))
        let ellipsis = buffer.context.glyphs.ellipsis
        let items = data.timeline.map { row -> StyledLine in
            let marker = row.newSession ? buffer.context.glyphs.bullet : buffer.context.glyphs.vertical
            var spans = [
                TextSpan("\(marker) ", style: row.newSession ? theme.accent : theme.border),
                TextSpan(Timestamp.short(row.timeMs) + "  ", style: row.newSession ? theme.text.adding(.bold) : theme.muted),
                TextSpan(pad(row.channel, 8), style: theme.muted),
                TextSpan(pad(fit(row.event, eventWidth, ellipsis: ellipsis), eventWidth), style: eventStyle(row.event, theme)),
            ]
            spans.append(TextSpan(pad(fit(row.item ?? "", itemWidth, ellipsis: ellipsis), itemWidth), style: theme.text))
            if let amount = row.amount { spans.append(TextSpan(amountText(row.event, amount), style: theme.positive)) }
            return StyledLine(spans)
        }
        buffer.render(TextList(items: items, firstIndex: data.timelineOffset, totalCount: data.timelineCount), in: inner)
    }

    /// The campaign messages about her, newest first: when, which trigger, the channel, and what became of it
    /// ("sent", "delayed to 08:00", "held out", "suppressed: no consent").
    static func messages(_ rows: [CampaignMessageRow], in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let sent = rows.filter { $0.suppressed == nil }.count
        let heldOut = rows.filter { $0.suppressed == .heldOut }.count
        let separator = buffer.context.glyphs.isASCII ? ", " : " · "
        let note = rows.isEmpty ? nil : "\(sent) sent" + separator + "\(heldOut) held out" + separator + "\(rows.count - sent - heldOut) suppressed"
        buffer.render(Panel(title: "Campaign messages", note: note), in: area)
        let inner = Panel.contentArea(of: area)
        guard !rows.isEmpty else {
            buffer.put("No campaign trigger has fired for this customer.", x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
            return
        }
        // "suppressed: quiet hours" whole; the trigger's name gets the rest.
        let outcomeWidth = 23
        let channelWidth = 6
        let timeWidth = 12
        let triggerWidth = max(6, inner.width - timeWidth - channelWidth - outcomeWidth)
        let ellipsis = buffer.context.glyphs.ellipsis
        for (i, r) in rows.prefix(inner.height).enumerated() {
            let y = inner.y + i
            let style: Style
            switch r.suppressed {
            case nil: style = r.delayed ? theme.accent : theme.positive
            case .heldOut?: style = theme.muted
            default: style = theme.warning
            }
            var x = inner.x
            x += buffer.put(pad(String(Timestamp.short(r.time).dropFirst(5)), timeWidth), x: x, y: y, style: theme.muted)
            x += buffer.put(pad(fit(r.trigger, triggerWidth, ellipsis: ellipsis), triggerWidth), x: x, y: y, style: theme.text)
            x += buffer.put(pad(r.channel, channelWidth), x: x, y: y, style: theme.muted)
            buffer.put(r.outcome, x: x, y: y, style: style, maxWidth: inner.maxX - x)
        }
    }

    /// The stage band above the timeline: from her first event to now, one cell per slice of time, each showing
    /// the stage she was in (A Awareness, C Consideration, P Purchase, R Retention, V Advocacy, ! At Risk, L Lapsed),
    /// then the current stage and since when.
    static func swimlane(_ data: DetailData, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        guard let first = data.stageHistory.first, let current = data.stageHistory.last, area.width > 30 else { return }
        let label = "Stages "
        let tail = " " + current.stage.label + " since " + Timestamp.short(current.time)
        let width = max(8, area.width - label.count - tail.count)
        buffer.put(label, x: area.x, y: area.y, style: theme.muted)
        let span = max(1, data.now - first.time)
        var k = 0
        for i in 0..<width {
            let t = first.time + span * Int64(i) / Int64(width)
            while k + 1 < data.stageHistory.count && data.stageHistory[k + 1].time <= t { k += 1 }
            let stage = data.stageHistory[k].stage
            buffer.put(String(letter(stage)), x: area.x + label.count + i, y: area.y, style: stageStyle(stage, theme))
        }
        buffer.put(tail, x: area.x + label.count + width, y: area.y, style: stageStyle(current.stage, theme).adding(.bold),
                   maxWidth: area.maxX - (area.x + label.count + width))
    }

    static func letter(_ stage: LifecycleStage) -> Character {
        switch stage {
        case .awareness: return "A"
        case .consideration: return "C"
        case .purchase: return "P"
        case .retention: return "R"
        case .advocacy: return "V"
        case .atRisk: return "!"
        case .lapsed: return "L"
        }
    }

    static func stageStyle(_ stage: LifecycleStage, _ theme: Theme) -> Style {
        switch stage {
        case .awareness, .consideration: return theme.muted
        case .purchase, .retention, .advocacy: return theme.positive
        case .atRisk: return theme.warning
        case .lapsed: return theme.negative
        }
    }

    /// Churn risk with its trend, P(alive), expected orders and CLV; the reasons; the next products.
    static func scores(_ data: DetailData, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let panels = area.columns([.flexible(1), .flexible(1), .flexible(1)])
        guard let s = data.scores else {
            buffer.render(Panel(title: "Predictions"), in: area)
            let inner = Panel.contentArea(of: area)
            buffer.put(data.scoresNote ?? "No scores yet.", x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
            return
        }
        buffer.render(Panel(title: "Scores"), in: panels[0])
        let inner = Panel.contentArea(of: panels[0])
        let risk = s.churnRisk.map { Format.percent($0, places: 0) } ?? "-"
        let riskStyle = (s.churnRisk ?? 0) >= 0.6 ? theme.negative.adding(.bold) : ((s.churnRisk ?? 0) >= 0.3 ? theme.warning : theme.positive)
        let labelWidth = min(12, inner.width / 2)
        buffer.put("Churn risk", x: inner.x, y: inner.y, style: theme.muted, maxWidth: labelWidth)
        let written = buffer.put(risk, x: inner.x + labelWidth, y: inner.y, style: riskStyle)
        let sparkX = inner.x + labelWidth + written + 1
        if s.riskHistory.count > 1, inner.maxX - sparkX >= 4 {
            buffer.render(Sparkline(values: s.riskHistory, minimum: 0, maximum: 1, style: riskStyle),
                          in: Rect(x: sparkX, y: inner.y, width: min(s.riskHistory.count, inner.maxX - sparkX), height: 1))
        }
        let rows: [(String, String)] = [
            ("P(alive)", s.repeatTransactions == 0 ? "- (1 order)" : (s.pAlive.map { Format.decimal($0, places: 2) } ?? "- (no order)")),
            ("Orders \(s.horizonDays)d", s.expectedTransactions.map { Format.decimal($0, places: 2) + " expected" } ?? "-"),
            ("CLV \(s.clvMonths) mo", s.clv.map { Format.moneyExact($0) } ?? "-"),
        ]
        for (i, (label, value)) in rows.prefix(max(0, inner.height - 1)).enumerated() {
            buffer.put(label, x: inner.x, y: inner.y + 1 + i, style: theme.muted, maxWidth: labelWidth)
            buffer.put(value, x: inner.x + labelWidth, y: inner.y + 1 + i, style: theme.text, maxWidth: inner.width - labelWidth)
        }

        buffer.render(Panel(title: "Why this risk", note: "log-odds"), in: panels[1])
        let why = Panel.contentArea(of: panels[1])
        if s.reasons.isEmpty { buffer.put("No classifier yet.", x: why.x, y: why.y, style: theme.muted, maxWidth: why.width) }
        // "41 days since last order: +0.31" shown as "+0.31 41 days since last order": the effect stays whole.
        for (i, reason) in s.reasons.prefix(why.height).enumerated() {
            let parts = reason.split(separator: ":", omittingEmptySubsequences: false)
            let effect = parts.count > 1 ? String(parts[parts.count - 1]).trimmingCharacters(in: .whitespaces) : ""
            let text = parts.count > 1 ? parts.dropLast().joined(separator: ":") : reason
            let style = effect.hasPrefix("+") ? theme.warning : theme.positive
            let written = buffer.put(effect, x: why.x, y: why.y + i, style: style)
            buffer.put(text, x: why.x + written + 1, y: why.y + i, style: theme.text, maxWidth: why.width - written - 1)
        }

        buffer.render(Panel(title: "Next products"), in: panels[2])
        let next = Panel.contentArea(of: panels[2])
        if s.nextProducts.isEmpty {
            buffer.put("None: nothing she bought or viewed leads to a product yet.", x: next.x, y: next.y, style: theme.muted, maxWidth: next.width)
        }
        // One line each when short of rows, else the product and its reason on two.
        let twoLines = next.height >= 2 * min(3, s.nextProducts.count)
        var y = next.y
        for item in s.nextProducts where y < next.maxY {
            buffer.put(item.product, x: next.x, y: y, style: theme.accent, maxWidth: next.width)
            if twoLines {
                buffer.put(item.reason, x: next.x + 1, y: y + 1, style: theme.muted, maxWidth: next.width - 1)
                y += 2
            } else {
                y += 1
            }
        }
    }

    static func shortISO(_ iso: String) -> String {
        String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }

    /// Cuts text to `width - 1` columns, ending with an ellipsis when cut, so that a space always follows it
    /// in a column `width` wide.
    static func fit(_ s: String, _ width: Int, ellipsis: Character) -> String {
        guard s.displayWidth > width - 1 else { return s }
        var head = s.prefix(columns: max(0, width - 2))
        while head.last == " " { head.removeLast() }
        return head + String(ellipsis)
    }

    /// The first of `candidates` that fits in `width` columns (the last one when none does).
    static func longest(_ candidates: [String], fitting width: Int) -> String {
        candidates.first { $0.displayWidth <= width } ?? candidates.last ?? ""
    }

    static func pad(_ s: String, _ width: Int) -> String {
        let w = s.displayWidth
        return w >= width ? s + " " : s + String(repeating: " ", count: width - w)
    }

    static func amountText(_ event: String, _ amount: Double) -> String {
        switch event {
        case KnownEvent.supportTicketOpened.name: return "sentiment " + Format.decimal(amount, places: 2)
        case KnownEvent.productReviewed.name: return "rated \(Int(amount))"
        default: return Format.money(amount)
        }
    }

    static func eventStyle(_ event: String, _ theme: Theme) -> Style {
        switch event {
        case KnownEvent.orderCompleted.name: return theme.positive.adding(.bold)
        case KnownEvent.orderRefunded.name, KnownEvent.orderCancelled.name, KnownEvent.supportTicketOpened.name,
             KnownEvent.unsubscribed.name, KnownEvent.subscriptionCancelled.name: return theme.negative
        case KnownEvent.productAdded.name, KnownEvent.checkoutStarted.name: return theme.accent
        default: return theme.text
        }
    }
}
