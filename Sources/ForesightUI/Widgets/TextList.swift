/// A scrollable list of styled lines, with an optional selected line and a scroll indicator.
///
/// Used for timelines, logs of fired campaigns and help text. Like `Table`, it can be given only the
/// visible window of a long list (`firstIndex` and `totalCount`) or the whole list with an `offset`.
public struct TextList: Widget {
    /// The lines to draw from the top, starting at absolute index `firstIndex`.
    public var items: [StyledLine]
    /// Absolute index of `items[0]`.
    public var firstIndex: Int
    /// Index within `items` of the first line to show (for a whole list scrolled by the widget).
    public var offset: Int
    /// Number of lines in the whole list (for the scroll indicator).
    public var totalCount: Int
    /// Absolute index of the selected line, if any.
    public var selectedIndex: Int?
    /// Whether the selected line gets a pointer glyph in a left gutter (besides the highlight).
    public var showsPointer: Bool

    /// Creates a list.
    public init(
        items: [StyledLine], firstIndex: Int = 0, offset: Int = 0, totalCount: Int? = nil,
        selectedIndex: Int? = nil, showsPointer: Bool = false
    ) {
        self.items = items
        self.firstIndex = firstIndex
        self.offset = offset
        self.totalCount = totalCount ?? (firstIndex + items.count)
        self.selectedIndex = selectedIndex
        self.showsPointer = showsPointer
    }

    /// Creates a list of plain lines.
    public init(lines: [String], offset: Int = 0, selectedIndex: Int? = nil, showsPointer: Bool = false) {
        self.init(items: lines.map { StyledLine($0) }, offset: offset, selectedIndex: selectedIndex,
                  showsPointer: showsPointer)
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let theme = buffer.context.theme
        let start = min(max(0, offset), items.count)
        let visible = items[start...].prefix(area.height)
        let scrollbar = Scrollbar(offset: firstIndex + start, visibleCount: visible.count, totalCount: totalCount)
        let showsScrollbar = scrollbar.isNeeded && area.width > 4
        let content = showsScrollbar ? area.inset(right: 1) : area
        let gutter = showsPointer && content.width > 2 ? 2 : 0
        buffer.fill(area)

        for (row, line) in visible.enumerated() {
            let y = area.y + row
            let isSelected = firstIndex + start + row == selectedIndex
            let base = isSelected ? theme.selection : .plain
            if isSelected {
                buffer.fill(content.row(row), style: base)
                if gutter > 0 { buffer.put(buffer.context.glyphs.pointer, x: content.x, y: y, style: base.patched(with: theme.accent)) }
            }
            buffer.put(line, x: content.x + gutter, y: y, maxWidth: content.width - gutter, baseStyle: base)
        }
        if showsScrollbar {
            scrollbar.render(in: Rect(x: area.maxX - 1, y: area.y, width: 1, height: area.height), into: &buffer)
        }
    }
}
