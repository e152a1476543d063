import ForesightCore

/// The campaign triggers: each rule with what it did (sent, held out as the control group, delayed by
/// quiet hours, suppressed by each guard) and its conversion uplift against the control group; the guards
/// that hold across triggers; the messages sent and, apart, the ones held out or suppressed, newest first.
/// Wide: both feeds side by side (`f` moves the selection between them); at 80 columns one at a time.
enum CampaignsView {
    static func render(_ data: CampaignsData?, state: CampaignsViewState, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        guard let data else {
            buffer.render(Panel(title: "Campaign triggers"), in: area)
            let inner = Panel.contentArea(of: area)
            let lines = ["No campaign triggers run for this log.",
                         "Add rules under triggers: (and the guards under campaigns:) in the configuration, such as Data/foresight.yml,",
                         "and save it: they start at once, on the events from then on."]
            for (i, line) in lines.enumerated() {
                buffer.put(line, x: inner.x, y: inner.y + i, style: i == 0 ? theme.text : theme.muted, maxWidth: inner.width)
            }
            return
        }
        let size = Size(width: buffer.width, height: buffer.height)
        let wide = area.width >= DashboardLayout.wideWidth
        let (top, rest) = area.splitTop(DashboardLayout.campaignTriggersHeight(size, triggers: data.triggers.count))
        triggers(data, wide: wide, in: top, into: &buffer)
        let (guardsLine, feeds) = rest.splitTop(1)
        guards(data, wide: wide, in: guardsLine, into: &buffer)
        if wide {
            let columns = feeds.columns([.flexible(1), .flexible(1)])
            feed(data, .sent, state: state, focused: state.feed == .sent, wide: true, in: columns[0], into: &buffer)
            feed(data, .suppressed, state: state, focused: state.feed == .suppressed, wide: true, in: columns[1], into: &buffer)
        } else {
            feed(data, state.feed, state: state, focused: true, wide: false, in: feeds, into: &buffer)
        }
    }

    // MARK: - Triggers

    /// The reasons a message is not sent, in the order of the guards (held out has its own column).
    static let reasons: [SuppressionReason] = [.noConsent, .cooldown, .capDay, .capWeek, .quietHours]

    static func triggers(_ data: CampaignsData, wide: Bool, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let dot = separator(buffer.context)
        var note = Format.integer(data.totalSent) + " sent" + dot + Format.integer(data.totalHeldOut) + " held out" + dot
            + Format.integer(data.totalSuppressed) + " suppressed"
        if data.waiting > 0 { note += dot + Format.integer(data.waiting) + " waiting for quiet hours to end" }
        if !data.problems.isEmpty { note += dot + Format.counted(data.problems.count, "problem") + " in the configuration" }
        buffer.render(Panel(title: "Campaign triggers: \(data.triggers.count)", note: note), in: area)
        let inner = Panel.contentArea(of: area)
        guard !data.triggers.isEmpty else {
            let text = data.problems.first ?? "No trigger defined: add some under triggers: in the configuration."
            buffer.put(text, x: inner.x, y: inner.y, style: data.problems.isEmpty ? theme.muted : theme.warning, maxWidth: inner.width)
            return
        }
        // Right-aligned figure columns after the trigger's name: (title, width).
        // Each reason in its own column when the names still get 22 columns; else the total, with the
        // conversion when there is room for it.
        var figures: [(String, Int)] = [("Sent", 6), ("Held out", 9), ("Delayed", 8)]
        let byReason: [(String, Int)] = [("No consent", 11), ("Cooldown", 9), ("Daily cap", 10), ("Weekly cap", 11), ("Quiet hrs", 10)]
        let conversion = ("Conversion sent/held", 21), upliftColumn = ("Uplift, pts (95% CI)", 23)
        let detailed = inner.width - (23 + byReason.reduce(0) { $0 + $1.1 } + conversion.1 + upliftColumn.1) >= 22
        let withConversion = detailed || inner.width - (23 + 11 + conversion.1 + upliftColumn.1) >= 22
        if detailed {
            figures += byReason + [conversion, upliftColumn]
        } else {
            figures += [("Suppressed", 11)] + (withConversion ? [conversion] : []) + [upliftColumn]
        }
        let figuresWidth = figures.reduce(0) { $0 + $1.1 }
        let nameWidth = max(8, inner.width - figuresWidth - 1)
        buffer.put("Trigger", x: inner.x, y: inner.y, style: theme.header, maxWidth: nameWidth)
        var x = inner.x + nameWidth
        for (title, width) in figures {
            buffer.put(leftPad(title, width), x: x, y: inner.y, style: theme.header, maxWidth: width)
            x += width
        }
        let lines = (inner.height - 1) / 2
        for (i, t) in data.triggers.prefix(lines).enumerated() {
            let y = inner.y + 1 + 2 * i
            let shown = i == lines - 1 && data.triggers.count > lines
                ? t.name + " (+\(data.triggers.count - lines) more)" : t.name
            buffer.put(shown, x: inner.x, y: y, style: theme.text.adding(.bold), maxWidth: nameWidth - 1)
            var cells: [(String, Style)] = [
                (Format.integer(t.counts.fired), theme.positive),
                (Format.integer(t.counts.heldOut), theme.text),
                (Format.integer(t.counts.delayed), theme.text),
            ]
            if detailed {
                for reason in reasons {
                    let n = t.counts.suppressed[reason.rawValue] ?? 0
                    cells.append((n == 0 ? "-" : Format.integer(n), n == 0 ? theme.muted : theme.warning))
                }
                cells.append((converted(t.conversion), theme.text))
            } else {
                let n = t.counts.suppressedTotal
                cells.append((Format.integer(n), n == 0 ? theme.muted : theme.warning))
                if withConversion { cells.append((converted(t.conversion), theme.text)) }
            }
            cells.append(uplift(t.conversion, theme))
            var x = inner.x + nameWidth
            for (k, (text, style)) in cells.enumerated() {
                let width = figures[k].1
                buffer.put(leftPad(text, width), x: x, y: y, style: style, maxWidth: width)
                x += width
            }
            // The rule and its action on the second line.
            let control = t.controlShare <= 0 ? "no control group"
                : Format.percent(t.controlShare, places: 0) + (wide ? " held out as control" : " control")
            var rule = t.rule + " " + arrow(buffer.context) + " " + t.channel + ": " + t.template + dot
                + (t.cooldownMs > 0 ? "cooldown " + duration(t.cooldownMs) : "no cooldown") + dot + control
            if wide { rule += dot + "goal: " + t.goal + " within " + duration(t.goalWindowMs) }
            buffer.put("  " + rule, x: inner.x, y: y + 1, style: theme.muted, maxWidth: inner.width)
        }
    }

    /// "12.0% / 9.9%": the conversion of the messaged and of the held-out customers whose window closed.
    static func converted(_ u: TriggerUplift) -> String {
        guard u.treated > 0 || u.heldOut > 0 else { return "-" }
        return (u.treatedRate.map { Format.percent($0, places: 1) } ?? "-") + " / " + (u.heldOutRate.map { Format.percent($0, places: 1) } ?? "-")
    }

    /// "+2.1 (-0.5 to +4.7)" in percentage points, green or red when the interval excludes zero; or
    /// "not measurable yet" until both groups have a closed window. A few customers give a wide interval
    /// (Newcombe's: one in each group, none converted, is -79.3 to +79.3), which says as much.
    static func uplift(_ u: TriggerUplift, _ theme: Theme) -> (String, Style) {
        guard let value = u.uplift, let ci = u.interval else { return ("not measurable yet", theme.muted) }
        let text = points(value) + " (" + points(ci.low) + " to " + points(ci.high) + ")"
        guard u.isSignificant else { return (text, theme.text) }
        return (text, value > 0 ? theme.positive : theme.negative)
    }

    static func points(_ fraction: Double) -> String {
        let v = (fraction * 1000).rounded() / 10
        return (v > 0 ? "+" : "") + Format.decimal(v == 0 ? 0 : v, places: 1)
    }

    // MARK: - Guards

    static func guards(_ data: CampaignsData, wide: Bool, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let s = data.settings
        let dot = separator(buffer.context)
        var caps: [String] = []
        if s.capPerDay > 0 { caps.append(Format.counted(s.capPerDay, "message") + " a day") }
        if s.capPerWeek > 0 { caps.append((caps.isEmpty ? Format.counted(s.capPerWeek, "message") : String(s.capPerWeek)) + " a week") }
        if !wide {
            // "At most 2 a day, 5 a week per customer · quiet hours 21:00–08:00, delayed" fits 80 columns.
            caps = []
            if s.capPerDay > 0 { caps.append("\(s.capPerDay) a day") }
            if s.capPerWeek > 0 { caps.append("\(s.capPerWeek) a week") }
        }
        var text = wide ? "Guards on every trigger: " : ""
        text += caps.isEmpty ? "no cap per customer"
            : (wide ? "at most " : "At most ") + caps.joined(separator: wide ? " and " : ", ") + " per customer"
        if let q = s.quietHours {
            text += dot + "quiet hours " + clock(q.startMinute) + "–" + clock(q.endMinute)
            text += wide ? " in the customer's time zone (else \(q.defaultTimeZone))" + (q.delays ? ": messages wait" : ": messages dropped")
                : (q.delays ? ", delayed" : ", dropped")
        } else {
            text += dot + "no quiet hours"
        }
        buffer.put(text, x: area.x + 1, y: area.y, style: theme.muted, maxWidth: area.width - 2)
    }

    static func clock(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    // MARK: - Feeds

    static func feed(_ data: CampaignsData, _ which: CampaignFeed, state: CampaignsViewState, focused: Bool, wide: Bool,
                     in area: Rect, into buffer: inout ScreenBuffer) {
        let rows = which == .sent ? data.sent : data.suppressed
        let list = which == .sent ? state.sent : state.suppressed
        let title = which == .sent ? "Sent (newest first)" : "Held out and suppressed (newest first)"
        let note = wide ? (focused ? "Enter opens the customer" : "f selects here")
            : (which == .sent ? "f: held out and suppressed" : "f: sent")
        buffer.render(Panel(title: title, note: note, isFocused: wide && focused), in: area)
        let inner = Panel.contentArea(of: area)
        let timeWidth = wide ? 16 : 11
        let columns: [Table.Column] = [
            .init("Time (UTC)", width: .fixed(timeWidth)),
            .init("Customer", width: .flexible(minimum: 8, weight: 1)),
            .init("Trigger", width: .flexible(minimum: 12, weight: 4)),
            // "email: cart-reminder (delayed)" whole.
            .init(which == .sent ? "Message" : "Why not sent", width: .flexible(minimum: 31, weight: 1)),
        ]
        // A message sent shows when it went out (after the quiet hours, for a delayed one); the others when
        // they were decided.
        let cells = rows.map { r -> [String] in
            let stamp = Timestamp.short(which == .sent ? r.sendTime : r.time)
            let time = wide ? stamp : String(stamp.dropFirst(5))
            let last: String
            if which == .sent {
                last = r.message + (r.delayed ? " (delayed)" : "")
            } else {
                last = r.suppressed == .heldOut ? "held out (control group)" : (r.suppressed?.label ?? r.outcome)
            }
            return [time, r.customer, r.trigger, last]
        }
        let visible = Table.bodyHeight(in: inner)
        let selected = min(list.selected, max(0, cells.count - 1))
        let offset = selected < visible ? 0 : selected - visible + 1
        let empty = which == .sent ? "No message sent yet." : "Nothing held out or suppressed yet."
        buffer.render(Table(columns: columns, rows: Array(cells.dropFirst(offset).prefix(visible)), firstRowIndex: offset,
                            totalRowCount: cells.count, selectedIndex: focused ? selected : nil, emptyMessage: empty), in: inner)
    }

    // MARK: - Text

    static func separator(_ context: RenderContext) -> String { context.glyphs.isASCII ? ", " : " · " }

    static func arrow(_ context: RenderContext) -> String { context.glyphs.isASCII ? "->" : "→" }

    /// `3d`, `1h`, `90m`.
    static func duration(_ ms: Int64) -> String {
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)] where ms >= size && ms % size == 0 {
            return "\(ms / size)\(unit)"
        }
        return Format.duration(seconds: Double(ms) / 1000)
    }

    static func leftPad(_ s: String, _ width: Int) -> String {
        let w = s.displayWidth
        return w >= width ? s : String(repeating: " ", count: width - w) + s
    }
}
