import ForesightSim
import ForesightUI
import Foundation

/// The generated log a benchmark replays when it is given no file.
enum BenchLog {
    /// Generates `customers` customers over `days` days (no bad or duplicate lines) into a temporary file
    /// named after `name`, says so on standard error, and returns its path (the caller removes it).
    static func generate(_ name: String, customers: Int, days: Int, seed: UInt64) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("foresight-\(name)-\(getpid()).jsonl").path
        let began = monotonicSeconds()
        let output = try FileOutput(path: path, append: false)
        var generator = Generator(options: GeneratorOptions(customers: customers, days: days, seed: seed,
                                                            start: SimTime.defaultStart, badRate: 0, duplicateRate: 0))
        let counts = try generator.run { chunk in try output.write(chunk) }
        standardError("generated \(Format.integer(counts.events)) events (\(Format.bytes(Int64(counts.bytes)))) in "
                      + "\(Format.decimal(monotonicSeconds() - began, places: 1)) s: \(path)")
        return path
    }
}
