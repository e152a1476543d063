/// Whether the screen shows colours.
public enum ColorMode: Hashable, Sendable {
    /// Colours as the styles ask.
    case color
    /// No colours (the terminal has none, or `NO_COLOR` is set); bold, dim, reverse and underline stay,
    /// so a selection or a heading remains visible.
    case monochrome

    /// The style as this mode shows it.
    @inlinable
    public func apply(_ style: Style) -> Style {
        switch self {
        case .color: return style
        case .monochrome: return Style(attributes: style.attributes)
        }
    }

    /// The mode the `NO_COLOR` convention (https://no-color.org) asks for, given the environment:
    /// monochrome when the variable is present and not empty.
    public static func from(environment: [String: String]) -> ColorMode {
        if let value = environment["NO_COLOR"], !value.isEmpty { return .monochrome }
        return .color
    }
}

/// What widgets need to know about the screen they draw on, beyond its size.
///
/// Chosen by the backend (from the locale, `NO_COLOR` and the terminal's abilities) and carried by each
/// `ScreenBuffer`, so that views and widgets read `buffer.context` instead of taking it as a parameter.
public struct RenderContext: Hashable, Sendable {
    /// Line, bar and mark characters.
    public var glyphs: GlyphSet
    /// Colour or monochrome.
    public var colorMode: ColorMode
    /// Styles for the roles widgets draw (titles, selection, good and bad numbers, ...).
    public var theme: Theme

    /// Creates a context.
    public init(glyphs: GlyphSet = .unicode, colorMode: ColorMode = .color, theme: Theme = .standard) {
        self.glyphs = glyphs
        self.colorMode = colorMode
        self.theme = theme
    }

    /// Unicode glyphs in colour: the usual terminal.
    public static let standard = RenderContext()
    /// ASCII glyphs in colour: a terminal whose locale is not UTF-8.
    public static let ascii = RenderContext(glyphs: .ascii)
    /// Unicode glyphs without colour: `NO_COLOR`.
    public static let monochrome = RenderContext(colorMode: .monochrome)
}
