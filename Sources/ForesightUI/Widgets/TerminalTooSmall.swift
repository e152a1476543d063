/// The screen shown instead of the dashboard when the terminal is smaller than it needs:
/// `terminal too small: need at least 80x24, have 60x20`, centred and word-wrapped to whatever width
/// there is, with a hint below when there is room.
public struct TerminalTooSmall: Widget {
    /// The smallest size the dashboard draws in.
    public var required: Size
    /// The terminal's size now.
    public var actual: Size
    /// A second line of advice, shown when it fits.
    public var hint: String?

    /// Creates the screen.
    public init(required: Size = Size(width: 80, height: 24), actual: Size, hint: String? = "enlarge the window, or press q to quit") {
        self.required = required
        self.actual = actual
        self.hint = hint
    }

    /// The message, in the same words whatever the size.
    public var message: String {
        "terminal too small: need at least \(required), have \(actual)"
    }

    /// `text` broken at spaces into lines of at most `width` columns (a longer word is cut).
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let word = String(word)
            if current.isEmpty {
                current = word
            } else if current.displayWidth + 1 + word.displayWidth <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
            while current.displayWidth > width {
                let head = current.prefix(columns: width)
                lines.append(head)
                current = String(current.dropFirst(head.count))
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let theme = buffer.context.theme
        buffer.fill(area)
        let main = TerminalTooSmall.wrap(message, width: area.width)
        let advice = hint.map { TerminalTooSmall.wrap($0, width: area.width) } ?? []
        let showsAdvice = !advice.isEmpty && main.count + 1 + advice.count <= area.height
        let total = showsAdvice ? main.count + 1 + advice.count : main.count
        var y = area.y + max(0, (area.height - total) / 2)
        for line in main where y < area.maxY {
            buffer.put(line, x: area.x, y: y, width: area.width, alignment: .center, style: theme.warning.adding(.bold))
            y += 1
        }
        guard showsAdvice else { return }
        y += 1
        for line in advice {
            buffer.put(line, x: area.x, y: y, width: area.width, alignment: .center, style: theme.muted)
            y += 1
        }
    }
}
