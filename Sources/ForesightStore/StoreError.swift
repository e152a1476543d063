/// What went wrong with a state file, in words for the user: what, where, and what to do.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file cannot be opened or created (permissions, a directory, a missing folder).
    case cannotOpen(path: String, reason: String)
    /// The file is not a Foresight state (another SQLite database, or not SQLite at all).
    case notAState(path: String, reason: String)
    /// The file was written by a newer Foresight, with migrations this one does not know.
    case newerSchema(path: String, unknown: [String])
    /// A part of the checkpoint does not decode or does not fit with the rest.
    case damaged(String)
    /// SQLite refused an operation.
    case sqlite(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "Cannot open the state file \(path): \(reason). Choose another place with --state PATH, or run without state (--no-state)."
        case .notAState(let path, let reason):
            return "\(path) is not a Foresight state file (\(reason)). Point --state at a new or a Foresight state file, or move this one away."
        case .newerSchema(let path, let unknown):
            return "The state file \(path) was written by a newer Foresight (schema steps \(unknown.joined(separator: ", ")) unknown here). Use that version, or start a new state with --state OTHER_PATH."
        case .damaged(let what):
            return "The state file is damaged: \(what). Remove it (or pass --reset-state) to rebuild it from the log."
        case .sqlite(let message):
            return "SQLite error on the state file: \(message)"
        }
    }
}
