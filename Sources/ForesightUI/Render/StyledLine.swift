/// A piece of text in one style.
public struct TextSpan: Hashable, Sendable, ExpressibleByStringLiteral {
    /// The text; one line, no newlines.
    public var text: String
    /// How it is drawn.
    public var style: Style

    /// Creates a span.
    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public init(stringLiteral value: String) { self.init(value) }
}

/// One line of text made of differently styled spans, such as `Order Completed  $42.00` with the amount
/// in green.
public struct StyledLine: Hashable, Sendable, ExpressibleByStringLiteral {
    /// The spans, left to right.
    public var spans: [TextSpan]

    /// Creates a line from spans.
    public init(_ spans: [TextSpan]) { self.spans = spans }

    /// Creates a line of plain or uniformly styled text.
    public init(_ text: String, style: Style = .plain) { self.spans = [TextSpan(text, style: style)] }

    public init(stringLiteral value: String) { self.init(value) }

    /// The text without styles.
    public var plainText: String { spans.map(\.text).joined() }

    /// Columns the line takes.
    public var displayWidth: Int { spans.reduce(0) { $0 + $1.text.displayWidth } }
}

extension ScreenBuffer {
    /// Writes a styled line from (`x`, `y`), clipped to the grid and to `maxWidth` columns; the line ends in
    /// an ellipsis if it does not fit.
    ///
    /// - Parameter baseStyle: patched under each span's style (a selected row's reverse, for instance).
    /// - Returns: the columns written.
    @discardableResult
    public mutating func put(
        _ line: StyledLine, x: Int, y: Int, maxWidth: Int = .max, baseStyle: Style = .plain
    ) -> Int {
        let available = min(maxWidth, width - x)
        guard available > 0 else { return 0 }
        let fits = line.displayWidth <= available
        let budget = fits ? available : available - 1
        var used = 0
        var lastStyle = baseStyle
        for span in line.spans {
            lastStyle = baseStyle.patched(with: span.style)
            let spanWidth = span.text.displayWidth
            let room = budget - used
            used += put(span.text, x: x + used, y: y, style: lastStyle, maxWidth: min(spanWidth, room),
                        ellipsis: false)
            if spanWidth > room { break }
        }
        if !fits { used += put(context.glyphs.ellipsis, x: x + used, y: y, style: lastStyle) }
        return used
    }
}
