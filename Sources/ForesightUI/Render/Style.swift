/// Text attributes other than colour.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    /// One bit per attribute.
    public let rawValue: UInt8
    /// Creates a set from its bits.
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Heavier text; also how the theme marks headings and bad news.
    public static let bold = TextAttributes(rawValue: 1 << 0)
    /// Fainter text.
    public static let dim = TextAttributes(rawValue: 1 << 1)
    /// Foreground and background swapped; how the theme marks the selection.
    public static let reverse = TextAttributes(rawValue: 1 << 2)
    /// Underlined text.
    public static let underline = TextAttributes(rawValue: 1 << 3)
}

/// How a cell is drawn: foreground and background colour plus attributes. Five bytes, compared bitwise.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    /// Text colour.
    public var foreground: Color
    /// Cell background colour.
    public var background: Color
    /// Bold, dim, reverse, underline.
    public var attributes: TextAttributes

    /// Creates a style; every part defaults to the terminal's plain look.
    @inlinable
    public init(
        foreground: Color = .default, background: Color = .default, attributes: TextAttributes = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// Creates a style from flags, for call sites that read better that way.
    @inlinable
    public init(
        fg: Color = .default, bg: Color = .default,
        bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false
    ) {
        var attributes: TextAttributes = []
        if bold { attributes.insert(.bold) }
        if dim { attributes.insert(.dim) }
        if reverse { attributes.insert(.reverse) }
        if underline { attributes.insert(.underline) }
        self.init(foreground: fg, background: bg, attributes: attributes)
    }

    /// The terminal's default look.
    public static let plain = Style()

    /// Whether the text is bold.
    @inlinable public var isBold: Bool { attributes.contains(.bold) }
    /// Whether the text is dim.
    @inlinable public var isDim: Bool { attributes.contains(.dim) }
    /// Whether foreground and background are swapped.
    @inlinable public var isReverse: Bool { attributes.contains(.reverse) }
    /// Whether the text is underlined.
    @inlinable public var isUnderline: Bool { attributes.contains(.underline) }

    /// This style with extra attributes.
    @inlinable public func adding(_ extra: TextAttributes) -> Style {
        var copy = self
        copy.attributes.formUnion(extra)
        return copy
    }

    /// This style with another foreground colour.
    @inlinable public func foreground(_ color: Color) -> Style {
        var copy = self
        copy.foreground = color
        return copy
    }

    /// This style with another background colour.
    @inlinable public func background(_ color: Color) -> Style {
        var copy = self
        copy.background = color
        return copy
    }

    /// `overlay`'s non-default colours over this style's, and the union of the attributes.
    @inlinable public func patched(with overlay: Style) -> Style {
        Style(
            foreground: overlay.foreground.isDefault ? foreground : overlay.foreground,
            background: overlay.background.isDefault ? background : overlay.background,
            attributes: attributes.union(overlay.attributes))
    }

    /// A compact description such as `fg=red bold reverse`, used by style snapshots.
    public var description: String {
        var parts: [String] = []
        if !foreground.isDefault { parts.append("fg=\(foreground)") }
        if !background.isDefault { parts.append("bg=\(background)") }
        if isBold { parts.append("bold") }
        if isDim { parts.append("dim") }
        if isReverse { parts.append("reverse") }
        if isUnderline { parts.append("underline") }
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }
}
