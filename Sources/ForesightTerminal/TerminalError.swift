import ForesightUI

/// Why the terminal dashboard could not start. The descriptions are written for the user.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// Standard input or output is not a terminal (a pipe, a file, cron).
    case notInteractive
    /// ncurses does not know the terminal type (`TERM`).
    case unknownTerminal(String)
    /// A stream for ncurses could not be opened.
    case cannotOpen(String)

    public var description: String {
        switch self {
        case .notInteractive:
            return "the dashboard needs a terminal, but standard input or output is not one; "
                + "use the headless commands (report, scores, journey, ...) in scripts and pipes"
        case .unknownTerminal(let type):
            return "cannot start the dashboard on terminal type '\(type)'; "
                + "set TERM to a known type such as xterm-256color"
        case .cannotOpen(let what):
            return "cannot open \(what) for the dashboard"
        }
    }
}

/// Which streams the backend drives.
public enum TerminalDevice: Hashable, Sendable {
    /// The process's own terminal (standard input and output), with the user's `TERM`.
    case standardStreams
    /// No terminal at all: output to and input from `/dev/null`, at a fixed size and in the given locale
    /// (which decides between Unicode and ASCII glyphs). For tests of the backend, which can read the
    /// screen back.
    case headless(terminalType: String, size: Size, locale: String = "C.UTF-8")
}
