/// Calendar arithmetic and ISO-8601 formatting for event timestamps, in milliseconds since the epoch.
///
/// Hand-written (Howard Hinnant's civil-date algorithms) because it runs once per generated event.
public enum SimTime {
    /// Milliseconds in one day.
    public static let dayMs: Int64 = 86_400_000
    /// Milliseconds in one hour.
    public static let hourMs: Int64 = 3_600_000
    /// Milliseconds in one minute.
    public static let minuteMs: Int64 = 60_000

    /// The default start of generated data: 2026-09-01T00:00:00Z, fixed so output never depends on today.
    public static let defaultStart: Int64 = 1_788_220_800_000

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The (year, month, day) of a day number counted from 1970-01-01.
    public static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    public static func weekday(ms: Int64) -> Int {
        let days = Int(floorDiv(ms, dayMs))
        return ((days % 7) + 7 + 3) % 7
    }

    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Parses `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z` or `±hh:mm` (none means UTC).
    ///
    /// - Returns: milliseconds since the epoch, or nil when the text is not in one of those forms.
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var value = 0
            for k in i..<(i + count) {
                guard b[k] >= 0x30 && b[k] <= 0x39 else { return nil }
                value = value * 10 + Int(b[k] - 0x30)
            }
            i += count
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard i < b.count, b[i] == byte else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var ms = Int64(days(year: year, month: month, day: day)) * dayMs
        if i == b.count { return ms }
        guard expect(0x54) || expect(0x20), let hour = number(2), expect(0x3A), let minute = number(2),
              hour < 24, minute < 60
        else { return nil }
        ms += Int64(hour) * hourMs + Int64(minute) * minuteMs
        if expect(0x3A) {
            guard let second = number(2), second < 61 else { return nil }
            ms += Int64(second) * 1000
            if expect(0x2E) {
                var scale: Int64 = 100
                var digits = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                    ms += Int64(b[i] - 0x30) * scale
                    scale /= 10
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
            }
        }
        if i == b.count || expect(0x5A) { return i == b.count ? ms : nil }
        let sign: Int64
        if expect(0x2B) { sign = 1 } else if expect(0x2D) { sign = -1 } else { return nil }
        guard let oh = number(2), expect(0x3A), let om = number(2), i == b.count else { return nil }
        return ms - sign * (Int64(oh) * hourMs + Int64(om) * minuteMs)
    }

    /// Formats a time as ISO-8601 UTC with milliseconds, for messages and summaries.
    public static func format(_ ms: Int64) -> String {
        var formatter = TimestampFormatter()
        var bytes: [UInt8] = []
        formatter.appendUTC(ms, fraction: true, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Writes ISO-8601 timestamps, caching the date part of the current day.
struct TimestampFormatter {
    private var cachedDay: Int64 = .min
    private var cachedDate: [UInt8] = []

    /// Appends `YYYY-MM-DDTHH:MM:SS[.mmm]Z`.
    @inline(__always)
    mutating func appendUTC(_ ms: Int64, fraction: Bool, into out: inout [UInt8]) {
        let day = SimTime.floorDiv(ms, SimTime.dayMs)
        if day != cachedDay {
            cachedDay = day
            cachedDate.removeAll(keepingCapacity: true)
            Self.appendDate(days: Int(day), into: &cachedDate)
        }
        out.append(contentsOf: cachedDate)
        Self.appendClock(Int(ms - day * SimTime.dayMs), fraction: fraction, into: &out)
        out.append(0x5A)
    }

    /// Appends the same instant written in local time with an explicit offset, e.g. `…T12:00:05.123+02:00`.
    mutating func appendOffset(_ ms: Int64, offsetMinutes: Int, into out: inout [UInt8]) {
        let local = ms + Int64(offsetMinutes) * SimTime.minuteMs
        let day = SimTime.floorDiv(local, SimTime.dayMs)
        Self.appendDate(days: Int(day), into: &out)
        Self.appendClock(Int(local - day * SimTime.dayMs), fraction: true, into: &out)
        out.append(offsetMinutes < 0 ? 0x2D : 0x2B)
        let magnitude = abs(offsetMinutes)
        out.appendDecimal(magnitude / 60, width: 2)
        out.append(0x3A)
        out.appendDecimal(magnitude % 60, width: 2)
    }

    private static func appendDate(days: Int, into out: inout [UInt8]) {
        let date = SimTime.civil(days: days)
        out.appendDecimal(date.year, width: 4)
        out.append(0x2D)
        out.appendDecimal(date.month, width: 2)
        out.append(0x2D)
        out.appendDecimal(date.day, width: 2)
        out.append(0x54)
    }

    @inline(__always)
    private static func appendClock(_ msOfDay: Int, fraction: Bool, into out: inout [UInt8]) {
        let seconds = msOfDay / 1000
        out.appendDecimal(seconds / 3600, width: 2)
        out.append(0x3A)
        out.appendDecimal(seconds / 60 % 60, width: 2)
        out.append(0x3A)
        out.appendDecimal(seconds % 60, width: 2)
        if fraction {
            out.append(0x2E)
            out.appendDecimal(msOfDay % 1000, width: 3)
        }
    }
}
