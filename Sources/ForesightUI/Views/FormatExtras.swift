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
