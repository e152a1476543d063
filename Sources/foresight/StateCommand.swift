import ArgumentParser
import ForesightCore
import ForesightStore
import ForesightUI
import Foundation

/// Where the state-only commands find the state file: `--state PATH`, or `--log FILE` for FILE.foresight.sqlite.
struct StateFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The state file.", valueName: "path"))
    var state: String?

    @Option(help: ArgumentHelp("The log whose default state file (FILE.foresight.sqlite) to use.", valueName: "file"))
    var log: String?

    func resolved() throws -> String {
        if let state { return state }
        if let log { return StateStore.defaultPath(forLog: log) }
        throw ValidationError("Which state file? Pass --state PATH, or --log FILE for FILE.foresight.sqlite.")
    }

    /// Opens an existing state file (never creates one: a typo would otherwise make an empty state).
    func open() throws -> StateStore {
        let path = try resolved()
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("No state file at \(path). Dashboards and reports create it next to the log (FILE.foresight.sqlite), or where --state says.")
        }
        do { return try StateStore(path: path) } catch { throw CLIError(error.description) }
    }
}

struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "The durable state (SQLite checkpoints, erasures).",
        subcommands: [StateInfoCommand.self]
    )
}

struct StateInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Size, customers, checkpoint time and offset, schema version of a state file."
    )

    @OptionGroup var file: StateFileOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let store = try file.open()
        let info: StateInfo
        do { info = try store.info() } catch { throw CLIError(error.description) }
        if json { try printJSON(info); return }
        print("State file   \(info.path) (\(Format.bytes(info.bytes)))")
        print("Schema       version \(info.schemaVersion) (\(info.schemaSteps.joined(separator: ", ")))")
        if let at = info.checkpointAt {
            print("Checkpoint   #\(info.checkpointSequence ?? 0) written \(at)")
            print("Log          \(info.logPath ?? "-") at byte \(Format.integer(Int(info.logOffset ?? 0))), line \(Format.integer(info.logLine ?? 1))")
            print("Holds        \(Format.integer(info.customers ?? 0)) customers, \(Format.integer(info.events ?? 0)) events, up to \(info.watermark ?? "-")")
        } else {
            print("Checkpoint   none yet")
        }
        print("Erasures     \(info.erasures) recorded, \(info.suppressedKeys) ids suppressed")
        print("Campaigns    \(Format.integer(info.suppressedDecisions)) suppressed decisions kept, trigger state \(info.campaignState ? "saved" : "none")")
    }
}

struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Erase a customer (GDPR): profile, timeline, memberships, scores; her later events are dropped.",
        discussion: """
            Removes the customer from the state file, records the erasure (time, SHA-256 of the id, who) in its \
            audit table, and adds the id to its suppression list: later events of that id, and a replay of the \
            old log, are dropped and counted as suppressed. A dashboard running on the same state applies the \
            erasure within a second. The log itself is not changed: remove her lines from your archives too.
            """
    )

    @Argument(help: "The customer id (userId, or anonymousId) as it appears in the log.")
    var customerID: String

    @OptionGroup var file: StateFileOptions

    @Option(help: "Who asked for the erasure (recorded in the audit table). Default: the user running the command.")
    var by: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let path = try file.resolved()
        let store: StateStore
        do { store = try StateStore(path: path) } catch { throw CLIError(error.description) }
        let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "uid \(getuid())"
        let report: ForgetReport
        do { report = try store.forget(customerID: customerID, by: who) } catch { throw CLIError(error.description) }
        if json { try printJSON(report); return }
        if report.profilesRemoved > 0 {
            print("Erased \(customerID): 1 profile and \(Format.integer(report.eventsRemoved)) events removed from \(path); \(Format.integer(report.customersLeft)) customers left.")
        } else {
            print("\(customerID) is not in the checkpoint of \(path); suppressed all the same: her events will be dropped.")
        }
        if report.alreadySuppressed { print("(The id was already suppressed; the erasure is recorded again.)") }
        print("Audit row #\(report.auditID) written. The log files still hold her lines: remove them from your archives too.")
    }
}
