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
        nextAllowed(after: time) { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0) / 1000))) * 1000 }
    }

    /// ``nextAllowed(after:in:)`` with the zone's UTC offset (ms) at a time given by `offsetAt`.
    func nextAllowed(after time: Int64, offsetAt: (Int64) -> Int64) -> Int64 {
        let offset = offsetAt(time)
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
        for _ in 0..<2 { utc = localEnd - offsetAt(utc) }
        return max(utc, time)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

/// Time zones by name, looked up once each (a `TimeZone` lookup reads the zone database).
struct TimeZoneCache {
    private var zones: [String: TimeZone] = [:]
    /// By label id (the `timezone` trait), nil for a name that is not a zone.
    private var byLabel: [UInt32: TimeZone?] = [:]

    /// UTC offsets (ms) per zone and UTC quarter hour (zones change offset on quarter hours at most).
    private var offsets: [OffsetKey: Int64] = [:]
    private struct OffsetKey: Hashable {
        var zone: Int
        var quarter: Int64
    }
    /// A small number per zone identifier, for the offset cache's keys.
    private var zoneNumbers: [String: Int] = [:]
    private var lastZone: (name: String, number: Int)?

    /// The offset of `zone` at `time` (ms), from the cache.
    mutating func offset(_ zone: TimeZone, at time: Int64) -> Int64 {
        let name = zone.identifier
        let number: Int
        if let last = lastZone, last.name == name {
            number = last.number
        } else {
            number = zoneNumbers[name] ?? zoneNumbers.count
            zoneNumbers[name] = number
            lastZone = (name, number)
        }
        let key = OffsetKey(zone: number, quarter: QuietHours.floorDiv(time, 900_000))
        if let o = offsets[key] { return o }
        // A change happens on the quarter hour at the latest: the offset at the quarter's start holds for all of it.
        let o = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(key.quarter * 900_000) / 1000))) * 1000
        if offsets.count > 100_000 { offsets.removeAll(keepingCapacity: true) }
        offsets[key] = o
        return o
    }

    /// The zone a label names (looked up once per label).
    mutating func zone(label: UInt32, _ labels: Interner) -> TimeZone? {
        if let z = byLabel[label] { return z }
        let z = zone(labels.string(label))
        byLabel[label] = z
        return z
    }

    /// The zone of that name, or nil when the name is not a known zone.
    mutating func zone(_ name: String) -> TimeZone? {
        if let z = zones[name] { return z }
        guard let z = TimeZone(identifier: name) else { return nil }
        zones[name] = z
        return z
    }
}
