import ArgumentParser
import ForesightCore
import ForesightUI
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Totals and breakdowns of an event log: events, customers, orders, revenue, rejects."
    )

    @OptionGroup var log: LogOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let (pipeline, writer) = try log.replay(writesState: true)
        let summary = pipeline.engine.summary()
        if json {
            try printJSON(summary)
        } else {
            let written = writer.map { $0.written > 0 && $0.failure == nil } ?? false
            print(ReportText.render(summary, file: log.file, quarantine: written ? writer?.path : nil))
        }
    }
}

/// The text form of a ``Summary``, for a person at a terminal.
enum ReportText {
    static func render(_ s: Summary, file: String, quarantine: String?) -> String {
        var out: [String] = ["Foresight report: \(file)", ""]
        func row(_ label: String, _ value: String) { out.append("  " + label.padding(toLength: 14, withPad: " ", startingAt: 0) + value) }
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(Format.integer(n)) \(n == 1 ? one : many)" }
        if let first = s.firstTimestamp, let last = s.lastTimestamp {
            row("Period", "\(first.prefix(16).replacingOccurrences(of: "T", with: " ")) to \(last.prefix(16).replacingOccurrences(of: "T", with: " ")) UTC")
        } else {
            row("Period", "no events")
        }
        row("Lines", "\(count(s.lines, "line", "lines")) read: \(count(s.events, "event", "events")) accepted, \(count(s.duplicates, "duplicate", "duplicates")), \(Format.integer(s.rejected)) rejected"
            + (s.suppressed > 0 ? ", \(Format.integer(s.suppressed)) suppressed (erased customers)" : ""))
        row("Customers", "\(Format.integer(s.customers)) (\(Format.integer(s.identifiedCustomers)) identified, \(count(s.buyers, "buyer", "buyers")), \(count(s.repeatBuyers, "repeat buyer", "repeat buyers")))")
        row("Orders", "\(Format.integer(s.orders)), revenue \(money(s.revenue)), refunds \(money(s.refunds)), average order \(money(s.averageOrderValue))")
        row("Sessions", Format.integer(s.sessions) + (s.customers > 0 ? String(format: " (%.1f per customer)", Double(s.sessions) / Double(s.customers)) : ""))
        row("Catalog", "\(Format.integer(s.products)) products in \(Format.integer(s.categories)) categories")
        if s.outOfOrder > 0 { row("Out of order", "\(count(s.outOfOrder, "event", "events")) arrived after later ones (placed in time order)") }
        let a = s.activity
        row("Today", "\(a.asOfDay) (the newest event's day, UTC): \(count(a.today.activeCustomers, "active customer", "active customers")), \(count(a.today.orders, "order", "orders")), revenue \(money(a.today.revenue))")
        row("Last 7 days", "\(count(a.last7Days.activeCustomers, "active customer", "active customers")), \(Format.integer(a.last7Days.buyers)) bought (\(Format.percent(a.last7Days.conversionRate))), revenue \(money(a.last7Days.revenue))")

        out.append("")
        out.append("Events by name")
        let total = max(1, s.events)
        for (name, count) in s.eventsByName.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            out.append("  " + name.padding(toLength: 28, withPad: " ", startingAt: 0) + pad(Format.integer(count), 12) + pad(Format.percent(Double(count) / Double(total)), 8))
        }
        if !s.eventsByChannel.isEmpty {
            out.append("")
            out.append("Events by channel")
            for (name, count) in s.eventsByChannel.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                out.append("  " + name.padding(toLength: 28, withPad: " ", startingAt: 0) + pad(Format.integer(count), 12) + pad(Format.percent(Double(count) / Double(total)), 8))
            }
        }
        out.append("")
        if s.rejected == 0 {
            out.append("Rejected lines: none")
        } else {
            out.append("Rejected lines by reason")
            for reason in RejectReason.allCases {
                let count = s.rejectedByReason[reason.rawValue] ?? 0
                guard count > 0 else { continue }
                out.append("  " + reason.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0) + pad(Format.integer(count), 10) + "  " + reason.label + ": " + reason.advice)
            }
            if let quarantine { out.append("  Each rejected line, with its byte offset and reason, is in \(quarantine)") }
        }
        return out.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    private static func money(_ v: Double) -> String { "$" + String(format: "%.2f", v).groupedThousands }
}

extension String {
    /// "1234567.89" → "1,234,567.89".
    var groupedThousands: String {
        let parts = split(separator: ".", maxSplits: 1)
        guard let whole = parts.first else { return self }
        let negative = whole.hasPrefix("-")
        let digits = Array(negative ? whole.dropFirst() : whole)
        var grouped = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { grouped.append(",") }
            grouped.append(d)
        }
        return (negative ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }
}
