/// Number, money, percentage and time formatting for people who read dashboards, not spreadsheets.
///
/// Independent of the locale (a dashboard and a report must print the same text) and of Foundation.
/// Non-finite numbers print as `-`.
public enum Format {
    private static let units: [(value: Double, suffix: String)] = [
        (1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T"),
    ]

    /// A number in at most three significant digits with a unit: 1234567 → `1.23M`, 12345 → `12.3k`,
    /// 1500 → `1.5k`, 999 → `999`, 0.25 → `0.25`.
    public static func compact(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let sign = value < 0 ? "-" : ""
        var magnitude = abs(value)
        var suffix = ""
        if magnitude >= 999.5 {
            for unit in units {
                let scaled = abs(value) / unit.value
                magnitude = scaled
                suffix = unit.suffix
                if roundedToSignificant(scaled) < 1000 { break }
            }
        }
        let places = magnitude < 9.995 ? 2 : magnitude < 99.95 ? 1 : 0
        let text = stripZeros(decimal(magnitude, places: places))
        return text == "0" ? "0" : sign + text + suffix
    }

    /// An integer in at most three significant digits with a unit (see `compact(_:)` for doubles).
    public static func compact(_ value: Int) -> String { compact(Double(value)) }

    /// An integer with thousands separators: 1234567 → `1,234,567`.
    public static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        result.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// A number with exactly `places` decimals, rounded half away from zero: (12.345, 1) → `12.3`.
    public static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "-" }
        let places = min(max(0, places), 9)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return value < 0 ? "-" + String(abs(value)) : String(value) }
        let units = UInt64(scaled)
        let whole = units / UInt64(scale)
        var text = String(whole)
        if places > 0 {
            let fraction = String(units % UInt64(scale))
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return value < 0 && units != 0 ? "-" + text : text
    }

    /// Money in a short form: `$12.50`, `$450`, `$12.3k`, `$1.2M`, `-$80`.
    public static func money(_ value: Double, symbol: String = "$") -> String {
        guard value.isFinite else { return "-" }
        let magnitude = abs(value)
        let sign = value < 0 && magnitude >= 0.005 ? "-" : ""
        let amount: String
        if magnitude >= 999.5 {
            amount = compact(magnitude)
        } else if magnitude >= 99.995 {
            amount = decimal(magnitude, places: 0)
        } else {
            amount = decimal(magnitude, places: 2)
        }
        return sign + symbol + amount
    }

    /// A fraction as a percentage: 0.1234 → `12.3%`.
    public static func percent(_ fraction: Double, places: Int = 1) -> String {
        guard fraction.isFinite else { return "-" }
        return decimal(fraction * 100, places: places) + "%"
    }

    /// A change as a signed percentage: 0.042 → `+4.2%`, -0.1 → `-10.0%`, 0 → `0.0%`.
    public static func signedPercent(_ fraction: Double, places: Int = 1) -> String {
        let text = percent(fraction, places: places)
        return fraction > 0 && text.contains(where: { $0 != "0" && $0 != "." && $0 != "%" }) ? "+" + text : text
    }

    /// A length of time, coarser as it grows: `45s`, `12m`, `4h 12m`, `3d 4h`, `41 days`.
    ///
    /// Parts are truncated, not rounded (3 days 23 hours 59 minutes is `3d 23h`). The sign is ignored.
    public static func duration(seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let total = Int(min(abs(seconds), 9e15))
        let days = total / 86_400, hours = total % 86_400 / 3_600
        let minutes = total % 3_600 / 60, secs = total % 60
        switch total {
        case ..<60: return "\(secs)s"
        case ..<3_600: return "\(minutes)m"
        case ..<86_400: return minutes == 0 ? "\(hours)h" : "\(hours)h \(minutes)m"
        case ..<864_000: return hours == 0 ? "\(days)d" : "\(days)d \(hours)h"
        default: return "\(days) days"
        }
    }

    /// How long ago something happened, in one unit: `just now`, `45s ago`, `5m ago`, `3h ago`, `12d ago`,
    /// `4mo ago`, `2y ago`; a negative interval reads `in 5m`.
    ///
    /// - Parameter seconds: the time elapsed since the moment described (now minus then).
    public static func relative(seconds: Double) -> String {
        guard seconds.isFinite else { return "-" }
        let elapsed = Int(min(abs(seconds), 9e15))
        if elapsed < 5 { return "just now" }
        let amount: String
        switch elapsed {
        case ..<60: amount = "\(elapsed)s"
        case ..<3_600: amount = "\(elapsed / 60)m"
        case ..<86_400: amount = "\(elapsed / 3_600)h"
        case ..<(86_400 * 30): amount = "\(elapsed / 86_400)d"
        case ..<(86_400 * 365): amount = "\(elapsed / (86_400 * 30))mo"
        default: amount = "\(elapsed / (86_400 * 365))y"
        }
        return seconds < 0 ? "in " + amount : amount + " ago"
    }

    private static func roundedToSignificant(_ value: Double) -> Double {
        let places = value < 9.995 ? 2.0 : value < 99.95 ? 1.0 : 0.0
        let scale = places == 2 ? 100.0 : places == 1 ? 10.0 : 1.0
        return (value * scale).rounded() / scale
    }

    private static func stripZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var trimmed = Substring(text)
        while trimmed.last == "0" { trimmed.removeLast() }
        if trimmed.last == "." { trimmed.removeLast() }
        return String(trimmed)
    }
}
