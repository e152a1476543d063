/// A terminal colour: the terminal's default, one of the 16 basic colours, or a 256-colour palette index.
///
/// Stored in two bytes so that a `Cell` stays small and compares cheaply.
public struct Color: Hashable, Sendable, CustomStringConvertible {
    /// 0 is the terminal default; otherwise the palette index plus one.
    @usableFromInline let raw: UInt16

    @inlinable init(raw: UInt16) { self.raw = raw }

    /// A colour of the 256-colour palette (0–7 basic, 8–15 bright, 16–255 extended).
    @inlinable public static func indexed(_ index: UInt8) -> Color { Color(raw: UInt16(index) + 1) }

    /// The terminal's own foreground or background colour.
    public static let `default` = Color(raw: 0)

    // The eight basic colours (palette 0–7), then their bright variants (8–15).
    public static let black = indexed(0)
    public static let red = indexed(1)
    public static let green = indexed(2)
    public static let yellow = indexed(3)
    public static let blue = indexed(4)
    public static let magenta = indexed(5)
    public static let cyan = indexed(6)
    public static let white = indexed(7)
    public static let brightBlack = indexed(8)
    public static let brightRed = indexed(9)
    public static let brightGreen = indexed(10)
    public static let brightYellow = indexed(11)
    public static let brightBlue = indexed(12)
    public static let brightMagenta = indexed(13)
    public static let brightCyan = indexed(14)
    public static let brightWhite = indexed(15)

    /// Whether this is the terminal default colour.
    @inlinable public var isDefault: Bool { raw == 0 }

    /// The palette index, or nil for the default colour.
    @inlinable public var index: UInt8? { raw == 0 ? nil : UInt8(truncatingIfNeeded: raw - 1) }

    /// The bright variant of a basic colour (itself for other colours).
    public var bright: Color {
        guard let index, index < 8 else { return self }
        return .indexed(index + 8)
    }

    private static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    public var description: String {
        guard let index else { return "default" }
        if index < 8 { return Color.names[Int(index)] }
        if index < 16 { return "bright" + Color.names[Int(index) - 8].capitalizedFirst }
        return "color\(index)"
    }
}

extension String {
    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
