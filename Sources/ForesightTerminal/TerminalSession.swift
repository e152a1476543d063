import ForesightUI

/// Runs a full-screen session on the process's terminal and guarantees it is restored.
public enum TerminalSession {
    /// Opens the terminal, runs `body` with the backend, and restores the terminal when `body` returns or
    /// throws. SIGINT and SIGTERM during the session make `readKey` return `.interrupt` and set
    /// `TerminalSignals.stopRequested`; `body` should then return.
    ///
    /// ```swift
    /// try TerminalSession.run { terminal in
    ///     while !TerminalSignals.stopRequested {
    ///         // draw a frame, then wait for a key
    ///         if terminal.readKey(timeoutMilliseconds: 100) == .char("q") { break }
    ///     }
    /// }
    /// ```
    /// - Throws: `TerminalError` if the terminal cannot be opened (check `Terminal.isInteractive()` first to
    ///   print a friendlier message), or whatever `body` throws, after the terminal is restored.
    public static func run<Result>(
        colorMode: ColorMode? = nil, _ body: (NcursesBackend) throws -> Result
    ) throws -> Result {
        TerminalSignals.reset()
        let backend = try NcursesBackend(device: .standardStreams, colorMode: colorMode)
        defer { backend.close() }
        return try body(backend)
    }
}
