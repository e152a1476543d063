/// The styles widgets use for each role, so that the whole dashboard looks consistent and a test can
/// swap the look in one place.
///
/// Every role that marks something a user must see (selection, active tab, key hints) uses an attribute
/// (reverse or bold), not only a colour, so it survives monochrome.
public struct Theme: Hashable, Sendable {
    /// Ordinary text.
    public var text: Style
    /// Secondary text: labels, units, hints.
    public var muted: Style
    /// Panel titles and big values.
    public var title: Style
    /// Panel borders.
    public var border: Style
    /// The border of the panel that has the focus.
    public var focusedBorder: Style
    /// Table header row.
    public var header: Style
    /// The selected row or item.
    public var selection: Style
    /// Accents: tab numbers, pointers, sort marks.
    public var accent: Style
    /// Key names in hints.
    public var key: Style
    /// A change for the better.
    public var positive: Style
    /// A change for the worse (bold as well as red, so that it still stands out without colour).
    public var negative: Style
    /// Something to watch.
    public var warning: Style
    /// Bars and progress fills.
    public var bar: Style
    /// Sparklines.
    public var sparkline: Style
    /// The active tab.
    public var activeTab: Style
    /// The footer line.
    public var statusBar: Style

    /// The default look: restrained colours on the terminal's own background.
    public static let standard = Theme(
        text: .plain,
        muted: Style(dim: true),
        title: Style(bold: true),
        border: Style(fg: .brightBlack),
        focusedBorder: Style(fg: .cyan, bold: true),
        header: Style(bold: true, underline: true),
        selection: Style(reverse: true),
        accent: Style(fg: .cyan),
        key: Style(fg: .yellow, bold: true),
        positive: Style(fg: .green),
        negative: Style(fg: .red, bold: true),
        warning: Style(fg: .yellow),
        bar: Style(fg: .cyan),
        sparkline: Style(fg: .green),
        activeTab: Style(fg: .cyan, bold: true, reverse: true),
        statusBar: .plain)
}
