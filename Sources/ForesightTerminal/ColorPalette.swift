import CNcursesw
import ForesightUI

/// Turns styles into ncurses attributes and colour pairs, allocating pairs as new colour combinations
/// appear (pair 0 is the terminal's default colours).
struct ColorPalette {
    /// Whether colours are drawn at all.
    let isEnabled: Bool
    /// Colours the terminal has (8, 16, 256).
    let colorCount: Int
    /// Pairs that may be allocated (ncurses' COLOR_PAIRS, capped to what a `short` holds).
    let pairLimit: Int
    private var pairs: [UInt32: Int16] = [:]
    private var lastStyle: Style?
    private var lastResult: (attr_t, Int16) = (0, 0)

    init(isEnabled: Bool, colorCount: Int, pairLimit: Int) {
        self.isEnabled = isEnabled
        self.colorCount = colorCount
        self.pairLimit = min(pairLimit, Int(Int16.max))
    }

    /// The attributes and colour pair for `style`.
    mutating func attributes(for style: Style) -> (attr_t, Int16) {
        if style == lastStyle { return lastResult }
        var attributes: attr_t = foresight_a_normal()
        if style.isBold { attributes |= foresight_a_bold() }
        if style.isDim { attributes |= foresight_a_dim() }
        if style.isReverse { attributes |= foresight_a_reverse() }
        if style.isUnderline { attributes |= foresight_a_underline() }
        var pair: Int16 = 0
        if isEnabled, !(style.foreground.isDefault && style.background.isDefault) {
            let (foreground, brighten) = terminalColor(style.foreground)
            let (background, _) = terminalColor(style.background)
            if brighten { attributes |= foresight_a_bold() }
            pair = self.pair(foreground: foreground, background: background)
        }
        lastStyle = style
        lastResult = (attributes, pair)
        return lastResult
    }

    /// The pair for two terminal colours (-1 is the default), allocated on first use; pair 0 when the
    /// terminal has no pairs left.
    private mutating func pair(foreground: Int16, background: Int16) -> Int16 {
        if foreground == -1 && background == -1 { return 0 }
        let key = UInt32(UInt16(bitPattern: foreground)) << 16 | UInt32(UInt16(bitPattern: background))
        if let existing = pairs[key] { return existing }
        let next = pairs.count + 1
        guard next < pairLimit else { return 0 }
        let number = Int16(next)
        guard init_pair(number, foreground, background) != ERR else { return 0 }
        pairs[key] = number
        return number
    }

    /// The terminal colour number for `color` (-1 for the default), and whether to add bold to stand in
    /// for a bright colour the terminal lacks.
    func terminalColor(_ color: Color) -> (Int16, brighten: Bool) {
        guard let index = color.index.map(Int.init) else { return (-1, false) }
        if index < colorCount { return (Int16(index), false) }
        if index < 16 { return (Int16(index - 8), true) }
        return (Int16(ColorPalette.basicColor(approximating: index)), false)
    }

    /// The nearest of the eight basic colours to a colour of the 256-colour palette (16–255).
    static func basicColor(approximating index: Int) -> Int {
        if index >= 232 { return index >= 244 ? 7 : 0 }
        let cube = index - 16
        let red = cube / 36, green = cube / 6 % 6, blue = cube % 6
        return (red >= 3 ? 1 : 0) | (green >= 3 ? 2 : 0) | (blue >= 3 ? 4 : 0)
    }
}
