import ForesightCore

/// The rejected lines: where each is (file, line, byte offset, column), why, and its text.
enum RejectsView {
    static func render(_ rejects: [RejectedLine], total: Int, list: ListState, quarantine: String?, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        let shown = rejects.count < total ? "the last \(Format.integer(rejects.count)) of \(Format.integer(total))" : Format.integer(total)
        buffer.render(Panel(title: "Rejected lines: \(shown)", note: quarantine.map { "all of them: " + $0 } ?? "not written to a file (--quarantine none)"), in: area)
        let inner = Panel.contentArea(of: area)
        guard !rejects.isEmpty else {
            buffer.put("No line was rejected. Every line parsed as an event.", x: inner.x, y: inner.y, style: theme.positive)
            return
        }
        // Newest first; two rows per line.
        let newestFirst = Array(rejects.reversed())
        var items: [StyledLine] = []
        for r in newestFirst {
            let at = r.column > 0 ? " col \(r.column)" : ""
            items.append(StyledLine([
                TextSpan("\(r.file):\(r.line)", style: theme.text.adding(.bold)),
                TextSpan(" byte \(r.offset)\(at)  ", style: theme.muted),
                TextSpan(r.reason.label, style: theme.warning),
                TextSpan(": \(r.detail)", style: theme.text),
            ]))
            items.append(StyledLine("    " + r.text, style: theme.muted))
        }
        let page = DashboardLayout.rejectRows(Size(width: buffer.width, height: buffer.height))
        let offset = min(list.offset, max(0, newestFirst.count - page))
        let window = Array(items[(offset * 2)..<min(items.count, (offset + page) * 2)])
        buffer.render(TextList(items: window, firstIndex: offset * 2, totalCount: items.count,
                               selectedIndex: list.selected * 2), in: inner)
    }
}
