/// A box centred over the screen, for help and messages; what is under it is blanked.
///
/// ```
///        ┌ Help ──────────────────────┐
///        │                            │
///        │  1-7   switch view         │
///        │  q     quit                │
///        │                            │
///        └─────────────── Esc close ──┘
/// ```
/// Sized to its content (plus a blank row and two columns of padding inside the border) and shrunk to fit
/// the area; lines that do not fit are cut, and `scrollOffset` scrolls them.
public struct Modal: Widget {
    /// Shown in the top border.
    public var title: String
    /// The content.
    public var lines: [StyledLine]
    /// Shown at the right of the bottom border (`Esc close`).
    public var footer: String?
    /// Index of the first content line shown.
    public var scrollOffset: Int
    /// A minimum content width, so that short messages do not make a cramped box.
    public var minimumWidth: Int

    /// Creates a modal.
    public init(title: String, lines: [StyledLine], footer: String? = nil, scrollOffset: Int = 0, minimumWidth: Int = 24) {
        self.title = title
        self.lines = lines
        self.footer = footer
        self.scrollOffset = scrollOffset
        self.minimumWidth = minimumWidth
    }

    /// The box's rectangle when drawn over `area`.
    public func frame(in area: Rect) -> Rect {
        let contentWidth = max(
            minimumWidth, lines.map(\.displayWidth).max() ?? 0,
            title.displayWidth + 2, (footer?.displayWidth ?? 0) + 2)
        let width = min(contentWidth + 6, area.width - 2)
        let height = min(lines.count + 4, area.height - 2)
        return area.centered(width: width, height: height)
    }

    /// How many content lines show at once when drawn over `area` (for scrolling).
    public func visibleLineCount(in area: Rect) -> Int { max(0, frame(in: area).height - 4) }

    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        let box = frame(in: area)
        guard box.width >= 4, box.height >= 3 else { return }
        Panel(title: title, isFocused: true).render(in: box, into: &buffer)
        let inner = box.inset(horizontal: 3, vertical: 2)
        let start = min(max(0, scrollOffset), lines.count)
        for (row, line) in lines[start...].prefix(max(0, inner.height)).enumerated() {
            buffer.put(line, x: inner.x, y: inner.y + row, maxWidth: inner.width)
        }
        let theme = buffer.context.theme
        let hiddenBelow = lines.count - start - max(0, inner.height)
        if let footer, !footer.isEmpty {
            let text = " " + footer + " "
            let x = box.maxX - 2 - text.displayWidth
            if x > box.x { buffer.put(text, x: x, y: box.maxY - 1, style: theme.muted) }
        }
        if start > 0 || hiddenBelow > 0 {
            let glyphs = buffer.context.glyphs
            let marks = (start > 0 ? String(glyphs.arrowUp) : "") + (hiddenBelow > 0 ? String(glyphs.arrowDown) : "")
            buffer.put(" " + marks + " ", x: box.x + 2, y: box.maxY - 1, style: theme.accent)
        }
    }
}
