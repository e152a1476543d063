import Glibc
import Synchronization

/// Signal handling that keeps the terminal usable whatever happens to the process.
///
/// - SIGINT and SIGTERM set a flag that the dashboard loop polls (`stopRequested`, and `readKey` returns
///   `.interrupt`); the loop then returns normally and `endwin` runs. A second one while the first is
///   still pending means the loop is stuck: the handler restores the saved terminal modes, leaves the
///   alternate screen and exits at once.
/// - Crash signals (a Swift trap is SIGILL or SIGTRAP) restore the terminal the same way, then put back
///   the previous handler and return, so the fault repeats into the runtime's crash reporting.
///
/// Handlers are installed before `newterm`, so ncurses leaves SIGINT and SIGTERM to us (it only catches
/// signals still at their default) and keeps handling SIGWINCH and SIGTSTP itself.
public enum TerminalSignals {
    /// Whether SIGINT or SIGTERM arrived since `install()` or the last `reset()`.
    public static var stopRequested: Bool { SignalState.stop.load(ordering: .acquiring) }

    /// Forgets a pending stop request.
    public static func reset() { SignalState.stop.store(false, ordering: .releasing) }

    /// Asks the loop to stop, as SIGINT would (for tests and for a quit key handled elsewhere).
    public static func requestStop() { SignalState.stop.store(true, ordering: .releasing) }

    static let stopSignals: [Int32] = [SIGINT, SIGTERM]
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT]

    /// Saves the terminal modes of `fd` for emergency restores and installs the handlers. Idempotent.
    static func install(terminal fd: Int32) {
        _ = SignalState.stop.load(ordering: .relaxed)  // Initialise the lazy global before a handler reads it.
        if tcgetattr(fd, SignalState.savedModes) == 0 { SignalState.terminalFD.store(fd, ordering: .releasing) }
        guard !SignalState.installed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for signal in stopSignals { setHandler(signal, handleStop, flags: 0) }
        for signal in crashSignals { setHandler(signal, handleCrash, flags: Int32(truncatingIfNeeded: SA_RESETHAND)) }
    }

    /// Puts back the handlers that were there before `install`.
    static func uninstall() {
        guard SignalState.installed.exchange(false, ordering: .acquiringAndReleasing) else { return }
        SignalState.terminalFD.store(-1, ordering: .releasing)
        for signal in stopSignals + crashSignals { _ = sigaction(signal, SignalState.previous + Int(signal), nil) }
    }

    private static func setHandler(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void, flags: Int32) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        action.sa_flags = flags
        sigemptyset(&action.sa_mask)
        _ = sigaction(signal, &action, SignalState.previous + Int(signal))
    }
}

/// The few things a signal handler may touch, all async-signal-safe to use: atomics, and two blocks of
/// memory allocated before any handler exists and written only by `install` on the UI thread.
///
/// The two pointers are this package's one use of `nonisolated(unsafe)`: a signal handler cannot capture
/// context, so what it reads has to be global, and `sigaction` and `tcsetattr` need stable addresses.
enum SignalState {
    static let stop = Atomic<Bool>(false)
    static let installed = Atomic<Bool>(false)
    static let terminalFD = Atomic<Int32>(-1)
    /// The terminal modes before ncurses changed them.
    nonisolated(unsafe) static let savedModes: UnsafeMutablePointer<termios> = {
        let pointer = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        pointer.initialize(to: termios())
        return pointer
    }()
    /// The actions replaced by `install`, indexed by signal number.
    nonisolated(unsafe) static let previous: UnsafeMutablePointer<sigaction> = {
        let pointer = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        pointer.initialize(repeating: sigaction(), count: 65)
        return pointer
    }()
}

/// Leaves the alternate screen, shows the cursor and restores the saved terminal modes, using only
/// async-signal-safe calls.
private func emergencyRestore() {
    let fd = SignalState.terminalFD.load(ordering: .acquiring)
    guard fd >= 0 else { return }
    let reset: StaticString = "\u{1B}[0m\u{1B}[?1049l\u{1B}[?25h\r\n"
    _ = write(fd, reset.utf8Start, reset.utf8CodeUnitCount)
    _ = tcsetattr(fd, TCSANOW, SignalState.savedModes)
}

private func handleStop(_ signal: Int32) {
    if SignalState.stop.exchange(true, ordering: .acquiringAndReleasing) {
        emergencyRestore()
        _exit(128 + signal)
    }
}

private func handleCrash(_ signal: Int32) {
    emergencyRestore()
    // SA_RESETHAND reset this signal to its default; put back whatever handled it before (the Swift
    // runtime's backtracer, if any) and return, so the faulting instruction runs again into it.
    _ = sigaction(signal, SignalState.previous + Int(signal), nil)
    if signal == SIGABRT { _ = raise(signal) }
}
