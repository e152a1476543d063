import ForesightUI
import Testing

struct FormatTests {
    static let compactCases: [(Double, String)] = [
        (0.0, "0"), (7.0, "7"), (999.0, "999"), (999.4, "999"), (999.7, "1k"), (1_000.0, "1k"),
        (1_500.0, "1.5k"), (1_234.0, "1.23k"), (12_345.0, "12.3k"), (123_456.0, "123k"),
        (999_950.0, "1M"), (1_234_567.0, "1.23M"), (2_500_000_000.0, "2.5B"), (-1_234.0, "-1.23k"),
        (0.25, "0.25"), (12.345, "12.3"), (-0.001, "0"), (Double.nan, "-"),
    ]

    @Test(arguments: compactCases)
    func compactNumbers(value: Double, expected: String) {
        #expect(Format.compact(value) == expected)
    }

    @Test func integersWithSeparators() {
        #expect(Format.integer(0) == "0")
        #expect(Format.integer(999) == "999")
        #expect(Format.integer(1_234_567) == "1,234,567")
        #expect(Format.integer(-12_345) == "-12,345")
        #expect(Format.compact(400_000) == "400k")
    }

    @Test func decimals() {
        #expect(Format.decimal(12.345, places: 1) == "12.3")
        #expect(Format.decimal(0.05, places: 1) == "0.1")
        #expect(Format.decimal(-2.5, places: 0) == "-3")
        #expect(Format.decimal(-0.004, places: 2) == "0.00")
        #expect(Format.decimal(3, places: 2) == "3.00")
    }

    static let moneyCases: [(Double, String)] = [
        (12.5, "$12.50"), (0.0, "$0.00"), (450.0, "$450"), (12_345.0, "$12.3k"), (1_200_000.0, "$1.2M"),
        (-80.0, "-$80.00"), (-12_300.0, "-$12.3k"), (999.99, "$1k"),
    ]

    @Test(arguments: moneyCases)
    func money(value: Double, expected: String) {
        #expect(Format.money(value) == expected)
    }

    @Test func percentages() {
        #expect(Format.percent(0.1234) == "12.3%")
        #expect(Format.percent(1) == "100.0%")
        #expect(Format.percent(0.5, places: 0) == "50%")
        #expect(Format.signedPercent(0.042) == "+4.2%")
        #expect(Format.signedPercent(-0.1) == "-10.0%")
        #expect(Format.signedPercent(0) == "0.0%")
        #expect(Format.signedPercent(0.00001) == "0.0%")
    }

    static let durationCases: [(Double, String)] = [
        (0, "0s"), (45, "45s"), (720, "12m"), (14_400, "4h"), (15_120, "4h 12m"),
        (273_600, "3d 4h"), (172_800, "2d"), (3_547_400, "41 days"), (-90, "1m"),
    ]

    @Test(arguments: durationCases)
    func durations(seconds: Double, expected: String) {
        #expect(Format.duration(seconds: seconds) == expected)
    }

    static let relativeCases: [(Double, String)] = [
        (2, "just now"), (45, "45s ago"), (300, "5m ago"), (10_800, "3h ago"),
        (1_036_800, "12d ago"), (10_368_000, "4mo ago"), (69_120_000, "2y ago"), (-300, "in 5m"),
    ]

    @Test(arguments: relativeCases)
    func relativeTimes(seconds: Double, expected: String) {
        #expect(Format.relative(seconds: seconds) == expected)
    }
}
