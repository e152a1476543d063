/// A key figure: a label, a big value and how it changed.
///
/// ```
/// ┌ Active customers ┐
/// │ 12.3k            │
/// │ ↑ +4.2% vs 7d    │
/// └──────────────────┘
/// ```
/// With fewer than four rows the border is dropped; with one row everything shares it.
public struct KPITile: Widget {
    /// Which way a figure moved.
    public enum Trend: Hashable, Sendable {
        case up, down, flat
    }

    /// How a figure changed.
    public struct Delta: Hashable, Sendable {
        /// The change as shown (`+4.2%`, `-120`).
        public var text: String
        /// Which way it went (picks the arrow).
        public var trend: Trend
        /// Whether the change is good news (green), bad news (red) or neither (nil, muted). A rise in churn
        /// is bad news although it goes up.
        public var isGood: Bool?
        /// What it is compared with (`vs 7d`), shown muted after the change.
        public var caption: String?

        /// Creates a delta.
        public init(_ text: String, trend: Trend, isGood: Bool? = nil, caption: String? = nil) {
            self.text = text
            self.trend = trend
            self.isGood = isGood
            self.caption = caption
        }
    }

    /// What the figure is.
    public var label: String
    /// The figure, already formatted (`12.3k`, `$1.2M`).
    public var value: String
    /// Its change, if known.
    public var delta: Delta?

    /// Creates a tile.
    public init(label: String, value: String, delta: Delta? = nil) {
        self.label = label
        self.value = value
        self.delta = delta
    }

    /// The delta line: arrow, change and caption, coloured by whether the change is good.
    func deltaLine(_ delta: Delta, context: RenderContext) -> StyledLine {
        let glyphs = context.glyphs, theme = context.theme
        let arrow: Character
        switch delta.trend {
        case .up: arrow = glyphs.arrowUp
        case .down: arrow = glyphs.arrowDown
        case .flat: arrow = glyphs.arrowFlat
        }
        let style: Style
        switch delta.isGood {
        case true?: style = theme.positive
        case false?: style = theme.negative
        case nil: style = theme.muted
        }
        var spans = [TextSpan("\(arrow) \(delta.text)", style: style)]
        if let caption = delta.caption, !caption.isEmpty { spans.append(TextSpan(" " + caption, style: theme.muted)) }
        return StyledLine(spans)
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let theme = buffer.context.theme
        let valueStyle = theme.title
        let delta = self.delta.map { deltaLine($0, context: buffer.context) }

        if area.height >= 4, area.width >= 6 {
            Panel(title: label).render(in: area, into: &buffer)
            let inner = Panel.contentArea(of: area).inset(left: 1, right: 0)
            buffer.put(value, x: inner.x, y: inner.y, style: valueStyle, maxWidth: inner.width)
            if let delta { buffer.put(delta, x: inner.x, y: inner.y + 1, maxWidth: inner.width) }
        } else if area.height >= 2 {
            buffer.fill(area)
            buffer.put(label, x: area.x, y: area.y, style: theme.muted, maxWidth: area.width)
            let used = buffer.put(value, x: area.x, y: area.y + 1, style: valueStyle, maxWidth: area.width)
            if let delta {
                if area.height >= 3 {
                    buffer.put(delta, x: area.x, y: area.y + 2, maxWidth: area.width)
                } else if used + 1 + delta.displayWidth <= area.width {
                    // Two rows: the change shares the value's row when it fits whole.
                    buffer.put(delta, x: area.x + used + 1, y: area.y + 1, maxWidth: area.width - used - 1)
                }
            }
        } else {
            buffer.fill(area)
            var spans = [TextSpan(label + " ", style: theme.muted), TextSpan(value, style: valueStyle)]
            if let delta { spans += [TextSpan(" ")] + delta.spans }
            buffer.put(StyledLine(spans), x: area.x, y: area.y, maxWidth: area.width)
        }
    }
}
