import ForesightCore

/// The fitted models: what they were fitted on and when, their parameters, how well they predicted the
/// period after a fit (hold-out), and how the current fit is doing as outcomes arrive (drift).
enum ModelsView {
    static func render(_ data: ModelsData, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let (info, rest) = area.splitTop(1)
        guard let fittedAt = data.fittedAt else {
            buffer.render(Panel(title: "Models"), in: area)
            let inner = Panel.contentArea(of: area)
            let text = data.fitting ? "Fitting the models" + buffer.context.ellipsisText
                : "No model yet: the first fit runs once \(Format.integer(data.minimumEvents)) events are in, then again as the log grows."
            buffer.put(text, x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
            return
        }
        let ago = data.secondsSinceFit.map { " " + Format.relative(seconds: $0) } ?? ""
        var status = "Fitted at \(Timestamp.short(fittedAt)) on " + Format.counted(data.customers, "customer")
            + ", " + Format.compact(data.events) + " events," + ago + " in " + Format.decimal(data.fitSeconds, places: 2) + " s"
        if data.fitting { status += "; refitting now" + buffer.context.ellipsisText }
        buffer.put(status, x: info.x + 1, y: info.y, style: theme.muted, maxWidth: info.width - 1)

        let halves = rest.columns([.flexible(1), .flexible(1)])
        let tall = area.height >= 40
        let leftRows = halves[0].rows([.fixed(tall ? 9 : 7), .fixed(tall ? 7 : 5), .flexible(1)])
        let rightRows = halves[1].rows([.fixed(tall ? 16 : 9), .flexible(1)])
        purchases(data, in: leftRows[0], into: &buffer)
        drift(data, in: leftRows[1], into: &buffer)
        rules(data, in: leftRows[2], into: &buffer)
        classifier(data, in: rightRows[0], into: &buffer)
        calibration(data, in: rightRows[1], into: &buffer)
    }

    /// Lines of (label, value) in a panel; rows past the panel are cut.
    static func lines(_ rows: [(String, String)], title: String, note: String? = nil, labelWidth: Int = 14,
                      in panel: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        buffer.render(Panel(title: title, note: note), in: panel)
        let inner = Panel.contentArea(of: panel)
        let labels = min(labelWidth, inner.width / 2)
        for (i, (label, value)) in rows.prefix(inner.height).enumerated() {
            buffer.put(label, x: inner.x, y: inner.y + i, style: theme.muted, maxWidth: labels)
            buffer.put(value, x: inner.x + labels, y: inner.y + i, style: theme.text, maxWidth: inner.width - labels)
        }
    }

    static func number(_ v: Double?, _ places: Int = 3) -> String { v.map { Format.decimal($0, places: places) } ?? "-" }

    /// A model parameter with three significant figures: 0.243, 4.41, 151.
    static func parameter(_ v: Double?) -> String {
        guard let v else { return "-" }
        let size = abs(v)
        if size > 0 && size < 0.001 {
            // A parameter fitted to nearly 0 (no dropout at all, say): "2.1e-5", not "0.000".
            var exponent = 0, mantissa = size
            while mantissa < 1 { mantissa *= 10; exponent -= 1 }
            return (v < 0 ? "-" : "") + Format.decimal(mantissa, places: 1) + "e\(exponent)"
        }
        return Format.decimal(v, places: size >= 100 ? 0 : (size >= 10 ? 1 : (size >= 1 ? 2 : 3)))
    }

    static func purchases(_ data: ModelsData, in panel: Rect, into buffer: inout ScreenBuffer) {
        var rows: [(String, String)] = []
        if let t = data.transactions {
            let p = { (name: String) in parameter(t.parameter(name)) }
            rows.append(("BG/NBD", "r \(p("r")) α \(p("alpha")) a \(p("a")) b \(p("b"))"))
            rows.append(("", "log-lik. " + Format.decimal(t.logLikelihood, places: 1) + " on " + Format.counted(t.customers, "buyer")
                + (t.converged ? "" : ", not converged")))
        } else {
            rows.append(("BG/NBD", "not fitted: no order yet"))
        }
        if let s = data.spend {
            rows.append(("Spend", "p \(parameter(s.parameter("p"))) q \(parameter(s.parameter("q"))) γ \(parameter(s.parameter("gamma")))"))
        } else {
            rows.append(("Spend", "not fitted: no repeat buyer yet"))
        }
        if let h = data.holdout?.holdout {
            rows.append(("Hold-out", "\(h.days) d: " + Format.decimal(h.predictedTransactions, places: 0) + " predicted, "
                + Format.integer(h.actualTransactions) + " actual"))
            rows.append(("", "MAE " + Format.decimal(h.transactionsMAE, places: 2) + "/buyer, corr. " + number(h.transactionsCorrelation, 2)))
        }
        lines(rows, title: "Purchases and spend", note: data.unit == .week ? "rates per week" : "rates per day", labelWidth: 9,
              in: panel, into: &buffer)
    }

    static func drift(_ data: ModelsData, in panel: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        buffer.render(Panel(title: "Orders since the fit"), in: panel)
        let inner = Panel.contentArea(of: panel)
        guard let d = data.drift else {
            buffer.put("Appears once BG/NBD is fitted.", x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
            return
        }
        var text = "Day \(d.days) of \(data.horizonDays): predicted " + Format.decimal(d.predicted, places: 1)
            + ", actual " + Format.integer(d.actual)
        if let ratio = d.ratio { text += " (" + Format.percent(ratio, places: 0) + ")" }
        buffer.put(text, x: inner.x, y: inner.y, style: theme.text, maxWidth: inner.width)
        buffer.put("by the fit's " + Format.counted(d.buyers, "buyer") + " (not new ones)", x: inner.x, y: inner.y + 1,
                   style: theme.muted, maxWidth: inner.width)
        guard inner.height >= 3, d.days > 0 else { return }
        let top = max(d.predictedByDay.last ?? 0, Double(d.actualByDay.last ?? 0))
        let labelWidth = 10
        let chart = inner.width - labelWidth
        buffer.put("predicted", x: inner.x, y: inner.y + 2, style: theme.muted)
        buffer.render(Sparkline(values: d.predictedByDay, minimum: 0, maximum: top),
                      in: Rect(x: inner.x + labelWidth, y: inner.y + 2, width: chart, height: 1))
        guard inner.height >= 4 else { return }
        buffer.put("actual", x: inner.x, y: inner.y + 3, style: theme.muted)
        buffer.render(Sparkline(values: d.actualByDay.map(Double.init), minimum: 0, maximum: top, style: theme.positive),
                      in: Rect(x: inner.x + labelWidth, y: inner.y + 3, width: chart, height: 1))
    }

    static func classifier(_ data: ModelsData, in panel: Rect, into buffer: inout ScreenBuffer) {
        var rows: [(String, String)] = []
        guard let card = data.churn else {
            lines([("", "not trained yet: the log needs churners and active customers in its latest window")],
                  title: "Churn classifier", labelWidth: 0, in: panel, into: &buffer)
            return
        }
        if let h = data.holdout?.holdout {
            rows.append(("AUC", number(h.churnAUC, 3) + " hold-out; BG/NBD " + number(h.bgnbdAUC, 2) + ", E[orders] "
                + number(h.bgnbdExpectedTransactionsAUC, 2)))
            rows.append(("Brier", number(h.brier, 3) + "; " + (h.churnRate.map { Format.percent($0, places: 0) } ?? "-")
                + " churned in \(h.days) d"))
        } else if let problem = data.holdoutProblem {
            rows.append(("Hold-out", problem))
        }
        rows.append(("Trained", String(Timestamp.iso8601(card.trainedAsOf).prefix(10)) + ", " + Format.counted(card.customers, "customer")))
        rows.append(("Labels", Format.percent(card.churnRate, places: 0) + " inactive the \(card.windowDays) d after"))
        let inner = Panel.contentArea(of: panel)
        for (feature, weight) in data.weights.prefix(max(0, inner.height - rows.count)) {
            rows.append(((weight >= 0 ? "+" : "") + Format.decimal(weight, places: 2), feature))
        }
        lines(rows, title: "Churn classifier", note: "weight per std. dev.", labelWidth: 8, in: panel, into: &buffer)
    }

    static func calibration(_ data: ModelsData, in panel: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        buffer.render(Panel(title: "Calibration on the hold-out", note: "observed churn by predicted risk"), in: panel)
        let inner = Panel.contentArea(of: panel)
        guard let bins = data.holdout?.holdout.calibration.filter({ $0.count > 0 }), !bins.isEmpty else {
            buffer.put("Appears once a hold-out check has run.", x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
            return
        }
        let bars = bins.map { bin -> BarChart.Bar in
            let label = "\(Int((bin.lower * 100).rounded()))-" + Format.percent(bin.upper, places: 0)
            let observed = bin.observedRate ?? 0
            return BarChart.Bar(label, value: observed, valueText: Format.percent(observed, places: 0) + " of "
                + Format.compact(bin.count) + " (pred. " + Format.percent(bin.meanPredicted ?? 0, places: 0) + ")")
        }
        buffer.render(BarChart(bars: bars, maximum: 1), in: inner)
    }

    static func rules(_ data: ModelsData, in panel: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        buffer.render(Panel(title: "Bought A, then B", note: "by lift"), in: panel)
        let inner = Panel.contentArea(of: panel)
        guard !data.rules.isEmpty else {
            buffer.put("No rule yet: needs customers with orders on two or more days.", x: inner.x, y: inner.y, style: theme.muted,
                       maxWidth: inner.width)
            return
        }
        let arrow = buffer.context.glyphs.ellipsis == "…" ? " → " : " -> "  // the Unicode set has a one-cell ellipsis
        for (i, rule) in data.rules.prefix(inner.height).enumerated() {
            let figures = " " + Format.percent(rule.confidence, places: 0) + " lift " + Format.decimal(rule.lift, places: 1)
            let nameWidth = max(0, inner.width - figures.displayWidth)
            buffer.put(rule.from + arrow + rule.to, x: inner.x, y: inner.y + i, style: theme.text, maxWidth: nameWidth)
            buffer.put(figures, x: inner.x + nameWidth, y: inner.y + i, style: theme.muted)
        }
    }
}
