/// Event time in milliseconds since 1970-01-01T00:00:00Z, parsed and formatted by hand.
///
/// `ISO8601DateFormatter` costs about 68 µs a call and `Date.ISO8601FormatStyle` 657 ns (NOTES.md); the
/// fixed-format parser here costs tens of nanoseconds.
public enum Timestamp {
    /// The earliest time accepted: 1970-01-01.
    public static let minimum: Int64 = 0
    /// The latest time accepted: 2100-01-01 (later values are taken for typos).
    public static let maximum: Int64 = 4_102_444_800_000

    /// Days from 1970-01-01 to the civil date (proleptic Gregorian; Howard Hinnant's algorithm).
    @inlinable
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01.
    public static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Remembers the day number of the last date parsed: consecutive events mostly share their date.
    public struct DayCache: Sendable {
        @usableFromInline var key: UInt64 = 0
        @usableFromInline var tail: UInt16 = 0
        @usableFromInline var days = Int.min
        public init() {}
        @usableFromInline init(key: UInt64, tail: UInt16, days: Int) {
            self.key = key
            self.tail = tail
            self.days = days
        }
    }

    /// Parses an ISO-8601 date-time with an offset: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm|±hhmm|±hh)`.
    ///
    /// A space may stand for `T`; `t` and `z` are accepted. Fractions beyond milliseconds are truncated.
    /// - Returns: milliseconds since the epoch, or nil when the text is not such a date-time or out of range.
    public static func parseISO8601(_ p: UnsafeRawBufferPointer) -> Int64? {
        var cache = DayCache()
        return parseISO8601(p, cache: &cache)
    }

    /// ``parseISO8601(_:)`` with a cache of the last date's day number.
    @inlinable
    public static func parseISO8601(_ p: UnsafeRawBufferPointer, cache: inout DayCache) -> Int64? {
        let n = p.count
        guard n >= 20, let base = p.baseAddress else { return nil }
        @inline(__always) func v(_ i: Int) -> Int { Int(base.load(fromByteOffset: i, as: UInt8.self) &- 48) }
        // The date first, from the cache when its 10 bytes are those of the last date parsed: they were
        // validated then, so only the time of day is checked here (most events share their date).
        let key = base.loadUnaligned(as: UInt64.self), tail = base.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        let days: Int
        if key == cache.key && tail == cache.tail && cache.days != Int.min {
            days = cache.days
        } else {
            // Digits in one pass: any non-digit makes its value above 9 (bytes below '0' wrap around).
            let d0 = v(0), d1 = v(1), d2 = v(2), d3 = v(3), m0 = v(5), m1 = v(6), a0 = v(8), a1 = v(9)
            guard d0 < 10, d1 < 10, d2 < 10, d3 < 10, m0 < 10, m1 < 10, a0 < 10, a1 < 10,
                  p[4] == 0x2D, p[7] == 0x2D else { return nil }
            let year = d0 * 1000 + d1 * 100 + d2 * 10 + d3, month = m0 * 10 + m1, day = a0 * 10 + a1
            guard month >= 1, month <= 12, day >= 1, day <= daysIn(month: month, year: year) else { return nil }
            days = daysFromCivil(year: year, month: month, day: day)
            cache = DayCache(key: key, tail: tail, days: days)
        }
        let h0 = v(11), h1 = v(12), n0 = v(14), n1 = v(15), s0 = v(17), s1 = v(18)
        guard h0 < 10, h1 < 10, n0 < 10, n1 < 10, s0 < 10, s1 < 10,
              p[13] == 0x3A, p[16] == 0x3A,
              p[10] == 0x54 || p[10] == 0x74 || p[10] == 0x20
        else { return nil }
        let hour = h0 * 10 + h1, minute = n0 * 10 + n1, second = s0 * 10 + s1
        guard hour <= 23, minute <= 59, second <= 60 else { return nil }
        var i = 19
        var millis = 0
        if n >= 24, p[19] == 0x2E || p[19] == 0x2C, v(20) < 10, v(21) < 10, v(22) < 10, v(23) >= 10 {
            // Exactly milliseconds, the usual form: three digits without the loop below.
            millis = v(20) * 100 + v(21) * 10 + v(22)
            i = 23
        } else if p[i] == 0x2E || p[i] == 0x2C {
            i += 1
            var scale = 100
            let start = i
            while i < n {
                let d = v(i)
                guard d < 10 else { break }
                millis += d * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < n else { return nil }
        var offsetMinutes = 0
        switch p[i] {
        case 0x5A, 0x7A:
            i += 1
        case 0x2B, 0x2D:
            let sign = p[i] == 0x2D ? -1 : 1
            i += 1
            guard i + 2 <= n, v(i) < 10, v(i + 1) < 10 else { return nil }
            let oh = v(i) * 10 + v(i + 1)
            i += 2
            var om = 0
            if i < n {
                if p[i] == 0x3A { i += 1 }
                guard i + 2 <= n, v(i) < 10, v(i + 1) < 10 else { return nil }
                om = v(i) * 10 + v(i + 1)
                i += 2
            }
            guard oh <= 23, om <= 59 else { return nil }
            offsetMinutes = sign * (oh * 60 + om)
        default:
            return nil
        }
        guard i == n else { return nil }
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        let ms = seconds * 1000 + Int64(millis)
        guard ms >= minimum, ms < maximum else { return nil }
        return ms
    }

    /// Converts an epoch number to milliseconds: values of 1e11 and above are milliseconds, smaller ones
    /// seconds (1e11 seconds lies in the year 5138).
    @inlinable
    public static func fromEpochNumber(_ value: Double) -> Int64? {
        guard value.isFinite else { return nil }
        let ms = value.magnitude >= 1e11 ? value : value * 1000
        guard ms >= Double(minimum), ms < Double(maximum) else { return nil }
        return Int64(ms.rounded(.down))
    }

    @inlinable
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Formats milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC).
    public static func iso8601(_ ms: Int64, milliseconds: Bool = true) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = Int(ms - seconds * 1000)
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secOfDay = Int(seconds - Int64(days) * 86_400)
        let (y, m, d) = civil(fromDays: days)
        var out = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T"
        out += pad(secOfDay / 3600, 2) + ":" + pad(secOfDay / 60 % 60, 2) + ":" + pad(secOfDay % 60, 2)
        if milliseconds { out += "." + pad(millis, 3) }
        return out + "Z"
    }

    /// Formats as `YYYY-MM-DD HH:MM` (UTC), the short form screens use.
    public static func short(_ ms: Int64) -> String {
        let full = iso8601(ms, milliseconds: false)
        return String(full.prefix(10)) + " " + String(full.dropFirst(11).prefix(5))
    }

    /// The UTC calendar day number (days since 1970-01-01) of a time.
    @inlinable
    public static func day(_ ms: Int64) -> Int {
        Int(ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000)
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
