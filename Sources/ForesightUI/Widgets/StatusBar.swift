/// The footer line: key hints on the left, a message on the right.
///
/// ```
/// q quit  ? help  / search  s sort                         replaying 62%
/// ```
/// Hints that do not fit before the message are left out from the end, so list the important ones first.
public struct StatusBar: Widget {
    /// One key hint.
    public struct Hint: Hashable, Sendable {
        /// The key as shown (`q`, `Tab`, `↑↓`).
        public var key: String
        /// What it does (`quit`).
        public var action: String

        /// Creates a hint.
        public init(_ key: String, _ action: String) {
            self.key = key
            self.action = action
        }
    }

    /// Hints in order of importance.
    public var hints: [Hint]
    /// Right-aligned message (state, errors); it wins over hints for space.
    public var message: StyledLine?

    /// Creates a status bar.
    public init(hints: [Hint], message: StyledLine? = nil) {
        self.hints = hints
        self.message = message
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        guard area.height >= 1, area.width >= 1 else { return }
        let theme = buffer.context.theme
        let row = area.y
        buffer.fill(area.row(0), style: theme.statusBar)

        var end = area.maxX
        if let message, message.displayWidth > 0 {
            let start = max(area.x, area.maxX - message.displayWidth)
            buffer.put(message, x: start, y: row, maxWidth: area.maxX - start, baseStyle: theme.statusBar)
            end = start - 2
        }
        var column = area.x
        for hint in hints {
            let width = hint.key.displayWidth + 1 + hint.action.displayWidth
            let gap = column == area.x ? 0 : 2
            guard column + gap + width <= end else { break }
            column += gap
            column += buffer.put(hint.key, x: column, y: row, style: theme.statusBar.patched(with: theme.key))
            column += 1
            column += buffer.put(hint.action, x: column, y: row, style: theme.statusBar.patched(with: theme.muted))
        }
    }
}
