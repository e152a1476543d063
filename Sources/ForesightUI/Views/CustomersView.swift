import ForesightCore

/// The customers table: every customer, sortable by any column and searchable by id.
enum CustomersView {
    /// Widths fit the longest values ("11mo ago", "-$12.3k", "Consideration") in 75 columns, so that at 80
    /// columns (77 inside the border and the scroll bar) the sort mark still has the 2 it needs.
    static let columns: [(CustomerColumn, Table.Column)] = [
        (.id, .init("Customer", width: .flexible(minimum: 9, weight: 3))),
        (.country, .init("Country", width: .fixed(7))),
        (.lastSeen, .init("Last seen", width: .fixed(9), alignment: .right)),
        (.orders, .init("Orders", width: .fixed(6), alignment: .right)),
        (.revenue, .init("Revenue", width: .fixed(9), alignment: .right)),
        (.sessions, .init("Sessions", width: .fixed(8), alignment: .right)),
        (.events, .init("Events", width: .fixed(7), alignment: .right)),
        (.stage, .init("Stage", width: .flexible(minimum: 13, weight: 1))),
    ]

    /// The columns with the sorted one widened to hold its title and the sort mark (" ▼").
    static func tableColumns(sortedBy sorted: CustomerColumn) -> [Table.Column] {
        columns.map { id, column in
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

    static func render(_ data: CustomersData, state: CustomersTableState, in area: Rect, into buffer: inout ScreenBuffer) {
        let theme = buffer.context.theme
        // Without a search the order may lag new customers by one re-sort (every 2 s): count them all.
        let title = state.search.isEmpty
            ? "Customers: \(Format.integer(data.population))"
            : "Customers: \(Format.integer(data.total)) of \(Format.integer(data.population)) match \"\(state.search)\""
        let direction = state.descending ? "high to low" : "low to high"
        let sortNote = state.sortColumn == .id || state.sortColumn == .country || state.sortColumn == .stage
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
            let hint = state.search.isEmpty ? "/ search ids   s next column   S reverse   Enter open"
                                            : "Esc clears the search   s next column   S reverse   Enter open"
            buffer.put(hint, x: info.x, y: info.y, style: theme.muted, maxWidth: info.width)
        }
        let rows = data.rows.map { r -> [String] in
            [r.id, r.country ?? "-", Format.relative(seconds: Double(data.now - r.lastSeen) / 1000),
             Format.integer(r.orders), Format.money(r.revenue), Format.integer(r.sessions), Format.integer(r.events), r.stage.label]
        }
        let rowStyles = data.rows.map { r -> Style in
            switch r.stage {
            case .atRisk: return theme.warning
            case .lapsed: return theme.muted
            default: return .plain
            }
        }
        let sortIndex = columns.firstIndex { $0.0 == state.sortColumn } ?? 0
        let empty = state.search.isEmpty ? "No customers yet" : "No customer id contains \"\(state.search)\" (Esc clears the search)"
        buffer.render(Table(columns: tableColumns(sortedBy: state.sortColumn), rows: rows, firstRowIndex: state.offset, totalRowCount: data.total,
                            selectedIndex: state.selected, sort: .init(column: sortIndex, ascending: !state.descending),
                            rowStyles: rowStyles, emptyMessage: empty), in: tableArea)
    }
}
