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

/// Time zones by name, looked up once each (a `TimeZone` lookup reads the zone database), numbered so that
/// each zone's UTC offset is kept for the stretch up to its next transition (`TimeZone.identifier` and `secondsFromGMT` are
/// slow enough to show in a settle of a million messages).
struct TimeZoneCache {
    private var zones: [TimeZone] = []
    private var numbers: [String: Int] = [:]
    /// By label id (the `timezone` trait): the zone's number, -1 for a name that is not a zone.
    private var byLabel: [Int32] = []
    private var utcNumber: Int?

    /// Per zone number: the stretch of time around the last asked one with one UTC offset (ms), up to the zone's
    /// next transition (a message's quiet hours ask two or three times a day, zones change twice a year).
    private var spans: [(from: Int64, to: Int64, offset: Int64)] = []

    /// The offset of zone `number` at `time` (ms).
    mutating func offset(_ number: Int, at time: Int64) -> Int64 {
        if number < spans.count, time >= spans[number].from, time < spans[number].to { return spans[number].offset }
        let zone = zones[number]
        let date = Date(timeIntervalSince1970: Double(time) / 1000)
        let offset = Int64(zone.secondsFromGMT(for: date)) * 1000
        // Until the next transition (none known: a day, to be safe); from the time asked (earlier asks look again).
        let next = zone.nextDaylightSavingTimeTransition(after: date).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
        let to = next.map { max($0, time + 1) } ?? time + 86_400_000
        if number >= spans.count { spans += Array(repeating: (Int64.max, Int64.min, 0), count: number + 1 - spans.count) }
        spans[number] = (time, to, offset)
        return offset
    }

    /// The number of the zone a label names (looked up once per label), nil when it is not a zone.
    mutating func zone(label: UInt32, _ labels: Interner) -> Int? {
        let i = Int(label)
        if i < byLabel.count, byLabel[i] != Int32.min { return byLabel[i] < 0 ? nil : Int(byLabel[i]) }
        let n = zone(labels.string(label))
        if i >= byLabel.count { byLabel += [Int32](repeating: .min, count: i + 1 - byLabel.count) }
        byLabel[i] = Int32(n ?? -1)
        return n
    }

    /// The number of the zone of that name, or nil when the name is not a known zone.
    mutating func zone(_ name: String) -> Int? {
        if let n = numbers[name] { return n }
        guard let z = TimeZone(identifier: name) else { return nil }
        zones.append(z)
        numbers[name] = zones.count - 1
        return zones.count - 1
    }

    /// The number of UTC (the fallback).
    mutating func utc() -> Int {
        if let n = utcNumber { return n }
        zones.append(TimeZone(secondsFromGMT: 0) ?? TimeZone.current)
        utcNumber = zones.count - 1
        return zones.count - 1
    }
}
