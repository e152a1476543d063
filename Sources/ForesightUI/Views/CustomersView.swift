import ForesightCore

/// The customers table: every customer, sortable by any column and searchable by id.
enum CustomersView {
    /// Widths fit the longest values ("11mo ago", "-$12.3k", "Consideration"). At 80 columns (77 inside the
    /// border and the scroll bar) the table keeps what a marketer scans first and drops the rest (see
    /// ``dropOrder``), leaving the sort mark the 2 cells it needs.
    static let columns: [(CustomerColumn, Table.Column)] = [
        (.id, .init("Customer", width: .flexible(minimum: 9, weight: 3))),
        (.country, .init("Country", width: .fixed(7))),
        (.lastSeen, .init("Last seen", width: .fixed(9), alignment: .right)),
        (.orders, .init("Orders", width: .fixed(6), alignment: .right)),
        (.revenue, .init("Revenue", width: .fixed(9), alignment: .right)),
        (.sessions, .init("Sessions", width: .fixed(8), alignment: .right)),
        (.events, .init("Events", width: .fixed(7), alignment: .right)),
        (.stage, .init("Stage", width: .flexible(minimum: 13, weight: 1))),
        (.churnRisk, .init("Churn risk", width: .fixed(10), alignment: .right)),
        (.pAlive, .init("P(alive)", width: .fixed(8), alignment: .right)),
        (.clv, .init("CLV", width: .fixed(8), alignment: .right)),
        (.nextProduct, .init("Next product", width: .flexible(minimum: 12, weight: 2))),
    ]

    /// The columns given up first when the terminal is narrow.
    static let dropOrder: [CustomerColumn] = [.events, .sessions, .country, .nextProduct, .pAlive]

    /// The columns shown at a terminal width, in table order (the reducer's sort keys cycle through them).
    static func visibleColumns(width: Int) -> [CustomerColumn] {
        var shown = columns.map(\.0)
        func needed() -> Int {
            let cells = columns.filter { shown.contains($0.0) }.reduce(0) { total, column in
                switch column.1.width {
                case .fixed(let w): return total + w
                case .flexible(let minimum, _): return total + minimum
                }
            }
            // Border and scroll bar (3), one space between columns, 2 for the widest sort mark.
            return cells + shown.count - 1 + 3 + 2
        }
        for column in dropOrder where needed() > width { shown.removeAll { $0 == column } }
        return shown
    }

    /// The shown columns with the sorted one widened to hold its title and the sort mark (" ▼").
    static func tableColumns(_ shown: [CustomerColumn], sortedBy sorted: CustomerColumn) -> [Table.Column] {
        columns.filter { shown.contains($0.0) }.map { id, column in
            guard id == sorted else { return column }
            var widened = column
            let needed = column.title.displayWidth + 2
            switch column.width {
            case .fixed(let w): widened.width = .fixed(max(w, needed))
            case .flexible(let minimum, let weight): widened.width = .flexible(minimum: max(minimum, needed), weight: weight)
            }
            return widened
        }
    }

    /// One cell of a row.
    static func cell(_ column: CustomerColumn, _ r: CustomerRow, now: Int64) -> String {
        switch column {
        case .id: return r.id
        case .country: return r.country ?? "-"
        case .lastSeen: return Format.relative(seconds: Double(now - r.lastSeen) / 1000)
        case .orders: return Format.integer(r.orders)
        case .revenue: return Format.money(r.revenue)
        case .sessions: return Format.integer(r.sessions)
        case .events: return Format.integer(r.events)
        case .stage: return r.stage.label
        case .churnRisk: return r.churnRisk.map { Format.percent($0, places: 0) } ?? "-"
        case .pAlive: return r.pAlive.map { Format.decimal($0, places: 2) } ?? "-"
        case .clv: return r.clv.map { Format.money($0) } ?? "-"
        case .nextProduct: return r.nextProduct ?? "-"
        }
    }

    static func render(_ data: CustomersData, state: CustomersTableState, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        // Without a search the order may lag new customers by one re-sort (every 2 s): count them all.
        var title = state.search.isEmpty
            ? "Customers: \(Format.integer(data.population))"
            : "Customers: \(Format.integer(data.total)) of \(Format.integer(data.population)) match \"\(state.search)\""
        if let segment = data.segment {
            title = "Customers in \"\(segment)\": \(Format.integer(data.total)) of \(Format.integer(data.population))"
                + (state.search.isEmpty ? "" : " matching \"\(state.search)\"")
        }
        let direction = state.descending ? "high to low" : "low to high"
        let sortNote = [.id, .country, .stage, .nextProduct].contains(state.sortColumn)
            ? (state.descending ? "Z to A" : "A to Z") : direction
        buffer.render(Panel(title: title, note: "sorted by \(state.sortColumn.title), \(sortNote)"), in: area)
        let inner = Panel.contentArea(of: area)
        let (info, tableArea) = inner.splitTop(1)
        if let draft = state.searchDraft {
            buffer.put("Search customer ids: ", x: info.x, y: info.y, style: theme.accent)
            buffer.put(draft + "_", x: info.x + 21, y: info.y, style: theme.text.adding(.bold), maxWidth: info.width - 21)
        } else if data.isStale {
            buffer.put("Sorting " + Format.counted(data.population, "customer") + buffer.context.ellipsisText,
                       x: info.x, y: info.y, style: theme.muted)
        } else {
            let hint = !state.search.isEmpty ? "Esc clears the search   s next column   S reverse   Enter open"
                : state.funnelDrop != nil ? "Esc back to the funnel   / search ids   s next column   Enter open"
                : (data.segment != nil ? "Esc back to the segments   / search ids   s next column   Enter open"
                                       : "/ search ids   s next column   S reverse   Enter open")
            buffer.put(hint, x: info.x, y: info.y, style: theme.muted, maxWidth: info.width)
        }
        let shown = visibleColumns(width: area.width)
        let rows = data.rows.map { r in shown.map { cell($0, r, now: data.now) } }
        let rowStyles = data.rows.map { r -> Style in
            switch r.stage {
            case .atRisk: return theme.warning
            case .lapsed: return theme.muted
            default: return .plain
            }
        }
        let sortIndex = shown.firstIndex(of: state.sortColumn) ?? 0
        let empty = state.search.isEmpty ? "No customers yet" : "No customer id contains \"\(state.search)\" (Esc clears the search)"
        buffer.render(Table(columns: tableColumns(shown, sortedBy: state.sortColumn), rows: rows, firstRowIndex: state.offset, totalRowCount: data.total,
                            selectedIndex: state.selected, sort: .init(column: sortIndex, ascending: !state.descending),
                            rowStyles: rowStyles, emptyMessage: empty), in: tableArea)
    }
}
