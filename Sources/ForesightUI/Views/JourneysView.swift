import ForesightCore

/// The funnel as horizontal bars with drop-off and an editable step list; the stage distribution and the
/// week's stage flow; the top transitions and paths; the pain points ranked by the customers they lose.
enum JourneysView {
    static func render(_ data: JourneysData?, state: JourneysViewState, in area: Rect, into buffer: inout ScreenBuffer) {
        let stepCount = state.steps.steps.count
        let wide = area.width >= 120
        let funnelHeight = min(area.height - 6, stepCount + 4)
        if wide {
            let (left, right) = area.splitRight(area.width * 2 / 5)
            let (top, bottom) = left.splitTop(funnelHeight)
            funnel(data, state: state, in: top, into: &buffer)
            paths(data?.report, in: bottom, into: &buffer)
            let (stageArea, painArea) = right.splitTop(max(8, right.height - 7))
            stages(data?.report, in: stageArea, into: &buffer)
            painPoints(data?.report, in: painArea, into: &buffer)
        } else {
            let (top, bottom) = area.splitTop(funnelHeight)
            funnel(data, state: state, in: top, into: &buffer)
            let columns = bottom.columns([.flexible(1), .flexible(1)])
            stages(data?.report, in: columns[0], into: &buffer)
            let (painArea, pathArea) = columns[1].splitTop(min(columns[1].height / 2, 6))
            painPoints(data?.report, in: painArea, into: &buffer)
            paths(data?.report, in: pathArea, into: &buffer)
        }
    }

    static func funnel(_ data: JourneysData?, state: JourneysViewState, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let report = data?.report
        let funnel = report?.funnel.flatMap { $0.steps == state.steps ? $0 : nil }
        let window = state.steps.windowMs.map { ", within " + Format.duration(seconds: Double($0) / 1000) } ?? ""
        let note = (data?.computing ?? true) ? "computing…" : funnel.map { "of " + Format.counted($0.population, "customer") + window } ?? ""
        buffer.render(Panel(title: "Funnel", note: note), in: area)
        let inner = Panel.contentArea(of: area)
        let (info, barsArea) = inner.splitTop(1)
        if let draft = state.draft {
            buffer.put("Steps: ", x: info.x, y: info.y, style: theme.accent)
            buffer.put(draft + "▏", x: info.x + 7, y: info.y, style: theme.text, maxWidth: info.width - 7)
        } else if let problem = report?.funnelProblem, report?.funnel == nil || funnel == nil {
            buffer.put(problem + " (e: edit the steps)", x: info.x, y: info.y, style: theme.warning, maxWidth: info.width)
        } else if let funnel, state.selected < funnel.rows.count {
            let r = funnel.rows[state.selected]
            var text = "Step \(state.selected + 1): " + Format.counted(r.users, "customer")
            if state.selected > 0 {
                text += ", " + Format.percent(r.conversionFromPrevious, places: 1) + " of the previous"
                if let m = r.medianSecondsFromPrevious { text += ", median " + Format.duration(seconds: m) + " after it" }
            }
            text += "; " + Format.integer(r.dropOff) + (state.selected == 0 ? " never did it" : " dropped") + ". Enter: who · e: edit steps"
            buffer.put(text, x: info.x, y: info.y, style: theme.muted, maxWidth: info.width)
        } else {
            buffer.put("Steps: " + state.steps.description + "   e: edit", x: info.x, y: info.y, style: theme.muted, maxWidth: info.width)
        }
        let rows = funnel?.rows ?? state.steps.steps.indices.map {
            FunnelStepRow(step: state.steps.label($0), users: 0, conversionFromPrevious: 0, conversionFromFirst: 0,
                          medianSecondsFromPrevious: nil, dropOff: 0)
        }
        let drop = buffer.context.glyphs.ellipsis == "…" ? "↓" : "-"
        let bars = rows.enumerated().map { k, r in
            BarChart.Bar("\(k + 1) " + r.step, value: Double(r.users),
                         valueText: Format.integer(r.users) + " " + pad(Format.percent(r.conversionFromFirst, places: 0), 4)
                            + " " + drop + pad(Format.compact(Double(r.dropOff)), 5),
                         style: k == state.selected ? theme.accent : nil)
        }
        buffer.render(BarChart(bars: bars, maximum: Double(max(1, rows.first?.users ?? 1)), selectedIndex: state.selected), in: barsArea)
    }

    static func stages(_ report: JourneysReport?, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        buffer.render(Panel(title: "Stages", note: "moves this week"), in: area)
        let inner = Panel.contentArea(of: area)
        guard let flow = report?.stages else {
            buffer.put("Computing…", x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
            return
        }
        let total = max(1, flow.distribution.reduce(0) { $0 + $1.customers })
        let (bars, moves) = inner.splitTop(min(inner.height, flow.distribution.count))
        buffer.render(BarChart(bars: flow.distribution.map {
            BarChart.Bar($0.stage.label, value: Double($0.customers), valueText: Format.integer($0.customers),
                         share: Double($0.customers) / Double(total))
        }), in: bars)
        let arrow = buffer.context.glyphs.ellipsis == "…" ? " → " : " -> "
        for (i, m) in flow.moves.prefix(moves.height).enumerated() {
            let count = Format.integer(m.customers)
            buffer.put((m.from?.label ?? "new") + arrow + m.to.label, x: moves.x, y: moves.y + i, style: theme.text,
                       maxWidth: moves.width - count.count - 1)
            buffer.put(count, x: moves.maxX - count.count, y: moves.y + i, style: theme.accent)
        }
    }

    static func paths(_ report: JourneysReport?, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        buffer.render(Panel(title: "Transitions and paths", note: "within sessions"), in: area)
        let inner = Panel.contentArea(of: area)
        guard let paths = report?.paths else {
            buffer.put("Computing…", x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
            return
        }
        let arrow = buffer.context.glyphs.ellipsis == "…" ? " → " : " -> "
        var lines: [(String, String, Style)] = []
        let transitions = paths.transitions.transitions
        let pathRows = max(2, inner.height / 3)
        for t in transitions.prefix(max(0, inner.height - 2 * pathRows - 2)) {
            lines.append((t.from + arrow + t.to, Format.integer(t.count) + " " + pad(Format.percent(t.probability, places: 0), 4), theme.text))
        }
        lines.append(("To a purchase", "", theme.text.adding(.bold)))
        for p in paths.toPurchase.prefix(pathRows) { lines.append((p.path.joined(separator: arrow), Format.integer(p.count), theme.positive)) }
        lines.append(("To churn", "", theme.text.adding(.bold)))
        for p in paths.toChurn.prefix(pathRows) { lines.append((p.path.joined(separator: arrow), Format.integer(p.count), theme.warning)) }
        for (i, line) in lines.prefix(inner.height).enumerated() {
            buffer.put(line.0, x: inner.x, y: inner.y + i, style: line.2, maxWidth: inner.width - line.1.count - 1)
            buffer.put(line.1, x: inner.maxX - line.1.count, y: inner.y + i, style: theme.accent)
        }
    }

    static func painPoints(_ report: JourneysReport?, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        buffer.render(Panel(title: "Pain points", note: "customers lost / had it"), in: area)
        let inner = Panel.contentArea(of: area)
        guard let pains = report?.painPoints else {
            buffer.put("Computing…", x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
            return
        }
        for (i, p) in pains.prefix(inner.height).enumerated() {
            let value = Format.integer(p.lost) + " / " + Format.integer(p.customers)
            buffer.put(p.kind.rawValue, x: inner.x, y: inner.y + i, style: theme.text, maxWidth: inner.width - value.count - 1)
            buffer.put(value, x: inner.maxX - value.count, y: inner.y + i, style: theme.warning)
        }
    }

    private static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
}
