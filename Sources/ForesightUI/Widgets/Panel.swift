/// A bordered box with an optional title on its top edge (and an optional note at the top right), whose
/// inside is cleared.
///
/// ```
/// ┌ Customers ───────── 12 of 400 ┐
/// │                               │
/// └───────────────────────────────┘
/// ```
public struct Panel: Widget {
    /// Shown in the top border, after the corner.
    public var title: String?
    /// Shown at the right end of the top border (a count, a time).
    public var note: String?
    /// Whether the panel has the focus (drawn with the theme's focused border).
    public var isFocused: Bool

    /// Creates a panel.
    public init(title: String? = nil, note: String? = nil, isFocused: Bool = false) {
        self.title = title
        self.note = note
        self.isFocused = isFocused
    }

    /// The inside of a panel drawn in `area`: one cell in from each side.
    public static func contentArea(of area: Rect) -> Rect { area.inset(by: 1) }

    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        guard area.width >= 2, area.height >= 2 else { return }
        let glyphs = buffer.context.glyphs
        let theme = buffer.context.theme
        let border = isFocused ? theme.focusedBorder : theme.border
        buffer.fill(Panel.contentArea(of: area))

        let top = area.y, bottom = area.maxY - 1, left = area.x, right = area.maxX - 1
        buffer.fill(Rect(x: left + 1, y: top, width: area.width - 2, height: 1), with: glyphs.horizontal, style: border)
        buffer.fill(Rect(x: left + 1, y: bottom, width: area.width - 2, height: 1), with: glyphs.horizontal, style: border)
        buffer.fill(Rect(x: left, y: top + 1, width: 1, height: area.height - 2), with: glyphs.vertical, style: border)
        buffer.fill(Rect(x: right, y: top + 1, width: 1, height: area.height - 2), with: glyphs.vertical, style: border)
        buffer.put(glyphs.topLeft, x: left, y: top, style: border)
        buffer.put(glyphs.topRight, x: right, y: top, style: border)
        buffer.put(glyphs.bottomLeft, x: left, y: bottom, style: border)
        buffer.put(glyphs.bottomRight, x: right, y: bottom, style: border)

        // Title from the third column with a space on each side; the note
        // ends two columns before the right corner, and is left out when it would touch the title.
        var titleEnd = left + 1
        if let title, !title.isEmpty, area.width >= 6 {
            let titleStyle = isFocused ? theme.title.patched(with: theme.focusedBorder) : theme.title
            titleEnd += buffer.put(" ", x: titleEnd, y: top, style: titleStyle)
            titleEnd += buffer.put(title, x: titleEnd, y: top, style: titleStyle, maxWidth: area.width - 4)
            titleEnd += buffer.put(" ", x: titleEnd, y: top, style: titleStyle)
        }
        if let note, !note.isEmpty {
            let text = " " + note + " "
            let start = right - 1 - text.displayWidth
            if start > titleEnd { buffer.put(text, x: start, y: top, style: theme.muted) }
        }
    }
}
