import ArgumentParser
import ForesightCore
import Foundation

/// Options every command that reads a log shares.
struct LogOptions: ParsableArguments {
    @Argument(help: "The event log (JSON Lines, see EVENTS.md); - reads standard input.")
    var file: String

    @Option(help: ArgumentHelp("Where rejected lines go: a path, or 'none'. Default: FILE.quarantine.jsonl next to the log.", valueName: "path"))
    var quarantine: String?

    @Option(help: "Lines longer than this many bytes are rejected.")
    var maxLineBytes: Int = 1 << 20

    @Option(help: ArgumentHelp("A repeated messageId within this many hours of event time is a duplicate; 'all' for any repeat in the log.", valueName: "hours|all"))
    var dedupeWindow: String = "24"

    @OptionGroup var stateOptions: StateOptions

    /// The engine settings these options ask for.
    var engineConfig: EngineConfig {
        EngineConfig(maxLineBytes: maxLineBytes,
                     dedupWindowMs: dedupeWindow == "all" ? nil : Double(dedupeWindow).map { Int64($0 * 3_600_000) })
    }

    /// The quarantine path to use, or nil for none.
    var quarantinePath: String? {
        if let quarantine { return quarantine == "none" ? nil : quarantine }
        return file == "-" ? "foresight-stdin.quarantine.jsonl" : file + ".quarantine.jsonl"
    }

    func validate() throws {
        guard maxLineBytes >= 64 else { throw ValidationError("--max-line-bytes must be at least 64") }
        guard dedupeWindow == "all" || (Double(dedupeWindow) ?? 0) > 0 else {
            throw ValidationError("--dedupe-window takes a number of hours above 0, or 'all'")
        }
    }

    /// Reads the whole log through the ingest pipeline: from the state file's checkpoint on when there is one
    /// (and then only the lines after it), else from the start.
    /// - Parameter writesState: create the state file when missing and checkpoint into it (`report`); the
    ///   other commands only read an existing state (so that erased customers stay erased in every output).
    func replay(writesState: Bool = false) throws -> (IngestPipeline, QuarantineWriter?) {
        let session = try StateSession.open(self, create: writesState)
        if session.store != nil {
            return (try session.readToEnd(self, checkpoints: writesState), nil)
        }
        return try replayWhole(into: session.pipeline)
    }

    /// The whole log from the start into a fresh pipeline, without a state file.
    private func replayWhole(into fresh: IngestPipeline) throws -> (IngestPipeline, QuarantineWriter?) {
        var pipeline = fresh
        let writer = quarantinePath.map { QuarantineWriter(path: $0) }
        do {
            defer { pipeline.flush() }
            _ = try LogSources.readAll(path: file, maxLineBytes: maxLineBytes) { line in
                pipeline.consumeDeferred(line, quarantine: writer)
            }
        } catch let error as IngestError {
            throw CLIError(error.message)
        }
        writer?.flush()
        if let failure = writer?.failure { printError("warning: \(failure)") }
        return (pipeline, writer)
    }
}

/// An error for the user: printed as it is, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// Writes an Encodable as pretty, key-sorted JSON to standard output.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
