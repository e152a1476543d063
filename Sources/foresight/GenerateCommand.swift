import ArgumentParser
import ForesightSim

#if canImport(Glibc)
import Glibc
#endif

/// `foresight generate`: writes a deterministic synthetic event log.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic synthetic event log (JSON Lines).",
        discussion: """
            The same options always give byte-identical output. Events are in time order and follow \
            the event log contract (see EVENTS.md). About 25 events per customer over 90 days.
            """
    )

    @Option(help: "Number of customers.")
    var customers: Int = 1_000

    @Option(help: "Length of the period in days.")
    var days: Int = 60

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 42

    @Option(help: "Output file, or - for standard output.")
    var out: String

    @Option(help: "First day of the period (ISO-8601 date or time).")
    var start: String = "2026-09-01"

    @Option(name: .customLong("bad-rate"), help: "Share of lines replaced by bad input (0…1).")
    var badRate: Double = 0

    @Option(name: .customLong("duplicate-rate"), help: "Share of events written twice (0…1).")
    var duplicateRate: Double = 0

    func validate() throws {
        guard customers >= 0 else { throw ValidationError("--customers must be 0 or more.") }
        guard days >= 1 else { throw ValidationError("--days must be at least 1.") }
        guard (0...1).contains(badRate) else { throw ValidationError("--bad-rate must be between 0 and 1.") }
        guard (0...1).contains(duplicateRate) else { throw ValidationError("--duplicate-rate must be between 0 and 1.") }
        guard SimTime.parse(start) != nil else {
            throw ValidationError("--start '\(start)' is not an ISO-8601 date such as 2026-09-01 or 2026-09-01T00:00:00Z.")
        }
    }

    func run() throws {
        let options = GeneratorOptions(
            customers: customers, days: days, seed: seed, start: SimTime.parse(start) ?? SimTime.defaultStart,
            badRate: badRate, duplicateRate: duplicateRate)
        let began = monotonicSeconds()
        let output = out == "-" ? FileOutput.standardOutput() : try FileOutput(path: out, append: false)
        var generator = Generator(options: options)
        let counts = try generator.run { chunk in try output.write(chunk) }
        let seconds = monotonicSeconds() - began
        let mb = Double(counts.bytes) / 1_000_000
        standardError(
            "generated \(counts.events) events (\(counts.duplicates) duplicates, \(counts.badLines) bad lines) "
                + "for \(customers) customers over \(days) days: \(counts.bytes) bytes (\(formatted(mb)) MB) "
                + "in \(formatted(seconds)) s\n")
    }
}

/// Seconds on the monotonic clock, for measuring a run.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Writes a message to standard error.
func standardError(_ message: String) {
    var text = message
    text.withUTF8 { bytes in
        _ = write(2, bytes.baseAddress, bytes.count)
    }
}

/// A number with one decimal place.
func formatted(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10))"
}
