import Foundation

/// Hours of the customer's local day when no message goes out (21:00–08:00 by default): a message due then
/// is delayed to the end of the quiet hours, or dropped, as configured. Local time comes from the
/// customer's `timezone` trait (an IANA name such as `Europe/Berlin`), else from ``defaultTimeZone``.
public struct QuietHours: Sendable, Equatable {
    /// Start and end as minutes after local midnight; a start after the end spans midnight.
    public var startMinute: Int
    public var endMinute: Int
    /// The zone for customers without a (valid) `timezone` trait.
    public var defaultTimeZone: String
    /// Delay to the next allowed time (true) or drop.
    public var delays: Bool

    public init(startMinute: Int = 21 * 60, endMinute: Int = 8 * 60, defaultTimeZone: String = "UTC", delays: Bool = true) {
        self.startMinute = startMinute
        self.endMinute = endMinute
        self.defaultTimeZone = defaultTimeZone
        self.delays = delays
    }

    /// `21:00–08:00 Europe/Berlin, delay`.
    public var description: String {
        "\(Self.clock(startMinute))–\(Self.clock(endMinute)) \(defaultTimeZone), \(delays ? "delay" : "drop")"
    }

    static func clock(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    /// Parses `21:00` into minutes after midnight.
    public static func parseClock(_ text: String) -> Int? {
        let parts = text.trimmingSpaces.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m),
              parts[1].count == 2 else { return nil }
        return h * 60 + m
    }

    /// Whether a local minute of the day is inside the quiet hours.
    func isQuiet(minute: Int) -> Bool {
        if startMinute == endMinute { return false }
        return startMinute < endMinute ? (minute >= startMinute && minute < endMinute)
            : (minute >= startMinute || minute < endMinute)
    }

    /// When a message due at `time` (ms UTC) may go out in `zone`: `time` itself outside the quiet hours,
    /// else the end of the quiet hours that day or the next (local clock, so across DST changes too).
    public func nextAllowed(after time: Int64, in zone: TimeZone) -> Int64 {
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(time) / 1000))) * 1000
        let local = time + offset
        let dayMs: Int64 = 86_400_000
        let localDay = Self.floorDiv(local, dayMs)
        let minute = Int((local - localDay * dayMs) / 60_000)
        guard isQuiet(minute: minute) else { return time }
        // The quiet stretch ends at endMinute today, or tomorrow when it started this evening.
        let endDay = startMinute > endMinute && minute >= startMinute ? localDay + 1 : localDay
        let localEnd = endDay * dayMs + Int64(endMinute) * 60_000
        // Local → UTC: the offset at the end time itself (it may differ from now's across a DST change).
        var utc = localEnd - offset
        for _ in 0..<2 {
            let o = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc) / 1000))) * 1000
            utc = localEnd - o
        }
        return max(utc, time)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

/// Time zones by name, looked up once each (a `TimeZone` lookup reads the zone database).
struct TimeZoneCache {
    private var zones: [String: TimeZone] = [:]

    /// The zone of that name, or nil when the name is not a known zone.
    mutating func zone(_ name: String) -> TimeZone? {
        if let z = zones[name] { return z }
        guard let z = TimeZone(identifier: name) else { return nil }
        zones[name] = z
        return z
    }
}
