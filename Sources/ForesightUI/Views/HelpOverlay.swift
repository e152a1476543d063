/// The help overlay (`?`): every key, grouped by where it works.
public enum HelpOverlay {
    /// Keys and what they do, in the order shown.
    public static let sections: [(title: String, keys: [(String, String)])] = [
        ("Everywhere", [
            ("1-6, Tab, Shift-Tab", "switch view (Overview, Customers, Segments, Models, Journeys, Campaigns)"),
            ("Esc", "go back / close / clear the search"),
            ("p", "pause or resume reading the log"),
            ("?", "show or hide this help"),
            ("q, Ctrl-C", "quit"),
        ]),
        ("Lists", [
            ("↑ ↓, j k", "move"),
            ("PgUp PgDn", "move a page"),
            ("Home End, g G", "first / last"),
            ("Enter", "open the selected customer"),
        ]),
        ("Overview", [
            ("r", "inspect the rejected lines"),
        ]),
        ("Customers", [
            ("s, → / ←", "sort by the next / previous column"),
            ("S", "reverse the sort"),
            ("/", "search customer ids (Enter applies, Esc cancels)"),
        ]),
        ("Segments", [
            ("Enter", "the selected segment's customers (Esc returns)"),
        ]),
        ("Journeys", [
            ("↑ ↓", "select a funnel step"),
            ("Enter", "the customers who dropped at that step (Esc returns)"),
            ("e", "edit the steps: A, B|C, D (Enter applies, Esc cancels)"),
        ]),
        ("Campaigns", [
            ("f", "switch between the sent and the held out / suppressed feed"),
            ("Enter", "open the selected message's customer"),
        ]),
        ("Customer", [
            ("↑ ↓ PgUp PgDn", "scroll the journey timeline"),
            ("End", "follow the newest events"),
        ]),
    ]

    /// Lines of the help text.
    public static var lineCount: Int { sections.reduce(0) { $0 + $1.keys.count + 2 } - 1 }

    static func modal(offset: Int = 0, context: RenderContext = .standard) -> Modal {
        var lines: [StyledLine] = []
        let keyStyle = Style(fg: .yellow, bold: true)
        for (i, section) in sections.enumerated() {
            if i > 0 { lines.append("") }
            lines.append(StyledLine(section.title, style: Style(bold: true)))
            for (key, action) in section.keys.map({ (context.keyLabel($0.0), $0.1) }) {
                let padded = key + String(repeating: " ", count: max(1, 20 - key.displayWidth))
                lines.append(StyledLine([TextSpan("  " + padded, style: keyStyle), TextSpan(action)]))
            }
        }
        return Modal(title: "Keys", lines: lines, footer: context.keyLabel("↑↓") + " scroll  Esc close", scrollOffset: offset)
    }
}
