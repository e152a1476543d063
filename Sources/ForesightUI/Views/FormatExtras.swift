extension Format {
    /// A byte count in binary units: `512 B`, `1.4 MiB`, `2.3 GiB`.
    public static func bytes(_ value: Int64) -> String {
        let v = Double(value)
        switch v {
        case ..<1024: return "\(value) B"
        case ..<(1024 * 1024): return decimal(v / 1024, places: 1) + " KiB"
        case ..<(1024 * 1024 * 1024): return decimal(v / 1_048_576, places: 1) + " MiB"
        default: return decimal(v / 1_073_741_824, places: 2) + " GiB"
        }
    }
}

extension Format {
    /// Money to the cent with thousands separators: `$7,060.45`, `-$12.00`.
    public static func moneyExact(_ value: Double, symbol: String = "$") -> String {
        guard value.isFinite else { return "-" }
        let cents = Int((abs(value) * 100).rounded())
        let whole = integer(cents / 100)
        let fraction = cents % 100
        return (value < 0 ? "-" : "") + symbol + whole + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}

extension Format {
    /// A count with its noun, singular for one: `1 event`, `2 events`, `1,204 duplicates`.
    static func counted(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        integer(value) + " " + (value == 1 ? singular : plural ?? singular + "s")
    }
}

extension RenderContext {
    /// A key label as this screen can show it: arrows become words with the ASCII glyph set
    /// (`↑↓` reads `Up/Down`, `→` reads `Right`).
    func keyLabel(_ label: String) -> String {
        guard glyphs.isASCII else { return label }
        var result = ""
        var previous: Character?
        for character in label {
            switch character {
            case "↓" where previous == "↑": result += "/Down"
            case "↑": result += "Up"
            case "↓": result += "Down"
            case "→": result += "Right"
            case "←": result += "Left"
            default: result.append(character)
            }
            previous = character
        }
        return result
    }

    /// `…` where the glyph set has it, else `...`.
    var ellipsisText: String { glyphs.isASCII ? "..." : String(glyphs.ellipsis) }
}
