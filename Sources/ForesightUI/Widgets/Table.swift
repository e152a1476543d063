/// A table with a header row, a highlighted selected row, a sort mark and a scroll indicator.
///
/// ```
/// Customer        Stage      Revenue ▼  P(alive)
/// cust-00042      Loyal        $12.3k     0.93
/// cust-01337      At risk       $8.1k     0.41      <- selected, reversed
/// ```
/// The table draws only the rows it is given: the caller passes the visible window (`rows`, starting at
/// absolute index `firstRowIndex`) and the total count, so a 400,000-row list costs no more to draw than a
/// 20-row one. `Scrolling.offset(keeping:visible:visibleCount:totalCount:)` and `bodyHeight(in:)` tell the
/// caller which window to pass.
public struct Table: Widget {
    /// How wide a column is.
    public enum ColumnWidth: Hashable, Sendable {
        /// Exactly this many columns.
        case fixed(Int)
        /// At least `minimum`, plus a share of the spare width in proportion to `weight`.
        case flexible(minimum: Int, weight: Int)
    }

    /// A column.
    public struct Column: Hashable, Sendable {
        /// Header text.
        public var title: String
        /// Width rule.
        public var width: ColumnWidth
        /// Alignment of the header and the cells (numbers read best right-aligned).
        public var alignment: HorizontalAlignment
        /// Style of the cells, if not the theme's text style.
        public var style: Style?

        /// Creates a column.
        public init(_ title: String, width: ColumnWidth, alignment: HorizontalAlignment = .left, style: Style? = nil) {
            self.title = title
            self.width = width
            self.alignment = alignment
            self.style = style
        }
    }

    /// Which column the rows are sorted by.
    public struct SortOrder: Hashable, Sendable {
        /// Column index.
        public var column: Int
        /// Ascending (▲) or descending (▼).
        public var ascending: Bool

        /// Creates a sort order.
        public init(column: Int, ascending: Bool) {
            self.column = column
            self.ascending = ascending
        }
    }

    /// The columns, left to right.
    public var columns: [Column]
    /// The visible rows only, each with one string per column.
    public var rows: [[String]]
    /// Absolute index of `rows[0]` in the whole list.
    public var firstRowIndex: Int
    /// Number of rows in the whole list (for the scroll indicator).
    public var totalRowCount: Int
    /// Absolute index of the selected row, if any.
    public var selectedIndex: Int?
    /// The sort shown in the header.
    public var sort: SortOrder?
    /// Per-row styles parallel to `rows` (a risk colour), patched over the column styles.
    public var rowStyles: [Style]?
    /// Shown when the list is empty.
    public var emptyMessage: String

    /// Creates a table.
    public init(
        columns: [Column], rows: [[String]], firstRowIndex: Int = 0, totalRowCount: Int? = nil,
        selectedIndex: Int? = nil, sort: SortOrder? = nil, rowStyles: [Style]? = nil,
        emptyMessage: String = "Nothing to show"
    ) {
        self.columns = columns
        self.rows = rows
        self.firstRowIndex = firstRowIndex
        self.totalRowCount = totalRowCount ?? (firstRowIndex + rows.count)
        self.selectedIndex = selectedIndex
        self.sort = sort
        self.rowStyles = rowStyles
        self.emptyMessage = emptyMessage
    }

    /// How many rows fit in `area` below the header.
    public static func bodyHeight(in area: Rect) -> Int { max(0, area.height - 1) }

    /// Column widths for `width` cells with one space between columns; columns past the edge get 0.
    public func columnWidths(for width: Int) -> [Int] {
        var widths = columns.map { column -> Int in
            switch column.width {
            case .fixed(let cells): return max(0, cells)
            case .flexible(let minimum, _): return max(0, minimum)
            }
        }
        let spare = width - max(0, columns.count - 1) - widths.reduce(0, +)
        let weights = columns.map { column -> Int in
            if case .flexible(_, let weight) = column.width { return max(0, weight) }
            return 0
        }
        let totalWeight = weights.reduce(0, +)
        if spare > 0, totalWeight > 0 {
            var leftover = spare
            for index in widths.indices where weights[index] > 0 {
                let share = spare * weights[index] / totalWeight
                widths[index] += share
                leftover -= share
            }
            for index in widths.indices where weights[index] > 0 && leftover > 0 {
                widths[index] += 1
                leftover -= 1
            }
        }
        return widths
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let theme = buffer.context.theme
        let bodyHeight = Table.bodyHeight(in: area)
        let scrollbar = Scrollbar(offset: firstRowIndex, visibleCount: min(bodyHeight, rows.count),
                                  totalCount: totalRowCount)
        let content = scrollbar.isNeeded && area.width > 4 ? area.inset(right: 1) : area
        let widths = columnWidths(for: content.width)
        buffer.fill(area)

        var x = content.x
        for (index, column) in columns.enumerated() where x < content.maxX {
            var title = column.title
            if let sort, sort.column == index {
                let mark = sort.ascending ? buffer.context.glyphs.sortAscending : buffer.context.glyphs.sortDescending
                title += " \(mark)"
            }
            let width = min(widths[index], content.maxX - x)
            buffer.put(title, x: x, y: content.y, width: width, alignment: column.alignment, style: theme.header)
            x += widths[index] + 1
        }
        guard bodyHeight > 0 else { return }
        let body = content.inset(top: 1)

        if totalRowCount == 0 || rows.isEmpty {
            buffer.put(emptyMessage, x: body.x, y: body.y, width: body.width, alignment: .center, style: theme.muted)
            return
        }
        for (offset, row) in rows.prefix(bodyHeight).enumerated() {
            let y = body.y + offset
            let isSelected = firstRowIndex + offset == selectedIndex
            let base = isSelected ? theme.selection : .plain
            if isSelected { buffer.fill(body.row(offset), style: base) }
            let rowStyle = rowStyles.flatMap { offset < $0.count ? $0[offset] : nil } ?? .plain
            var x = body.x
            for (index, column) in columns.enumerated() where x < body.maxX {
                let text = index < row.count ? row[index] : ""
                let style = base.patched(with: column.style ?? theme.text).patched(with: rowStyle)
                let width = min(widths[index], body.maxX - x)
                buffer.put(text, x: x, y: y, width: width, alignment: column.alignment, style: style)
                x += widths[index] + 1
            }
        }
        if content.width < area.width {
            scrollbar.render(in: Rect(x: area.maxX - 1, y: body.y, width: 1, height: body.height), into: &buffer)
        }
    }
}
