import ForesightCore

/// One customer: profile, consent, aggregates, and the journey timeline with session breaks.
enum CustomerDetailView {
    static func render(_ data: DetailData, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let d = data.detail
        let size = Size(width: buffer.width, height: buffer.height)
        let (top, bottom) = area.splitTop(DashboardLayout.profileHeight(size))
        let panels = top.columns([.flexible(1), .flexible(1), .flexible(1)])

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

        let following = data.timelineOffset + data.timeline.count >= data.timelineCount
        let note = Format.counted(data.timelineCount, "event") + (following ? ", following the newest" : ", scrolled back")
        buffer.render(Panel(title: "Journey timeline", note: note), in: bottom)
        let inner = Panel.contentArea(of: bottom)
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
