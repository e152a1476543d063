import Foundation
import Glibc

/// A tmux server of its own (`tmux -L <socket> -f /dev/null`), so that tests never touch a user's tmux,
/// holding one detached session of a fixed size.
final class TmuxSession {
    let socket: String
    let name = "e2e"

    /// Whether a `tmux` is on the PATH.
    static var isAvailable: Bool { (try? run(["tmux", "-V"]).status) == 0 }

    /// Starts `command` (run by `sh -c`) in a new detached session of `width`×`height` cells.
    init(command: String, width: Int, height: Int) throws {
        socket = "foresight-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        let result = try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command])
        guard result.status == 0 else { throw TmuxError("tmux new-session failed: \(result.output)") }
    }

    /// The visible screen as text.
    func capture() -> String {
        (try? tmux(["capture-pane", "-p", "-t", name]).output) ?? ""
    }

    /// Types keys, named as tmux names them (`2`, `Enter`, `Escape`, `q`).
    func send(_ keys: String...) throws {
        let result = try tmux(["send-keys", "-t", name] + keys)
        guard result.status == 0 else { throw TmuxError("tmux send-keys failed: \(result.output)") }
    }

    /// Stops the whole server (and whatever still runs in it) and removes its socket.
    func kill() {
        _ = try? tmux(["kill-server"])
        let directory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        unlink("\(directory)/tmux-\(getuid())/\(socket)")
    }

    /// Polls the screen every 100 ms until `condition` holds or `timeout` seconds passed.
    /// - Returns: the last screen seen and whether the condition held.
    func waitForScreen(timeout: Double = 10, _ condition: (String) -> Bool) -> (screen: String, ok: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !condition(screen) {
            if Date() > deadline { return (screen, false) }
            usleep(100_000)
            screen = capture()
        }
        return (screen, true)
    }

    private func tmux(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Self.run(["tmux", "-L", socket, "-f", "/dev/null"] + arguments)
    }

    /// Runs a program found on the PATH and returns its exit status and combined output.
    ///
    /// Not `Process`: the tmux server that `new-session` forks keeps the client's standard output open,
    /// so reading a pipe to its end would wait for the server to exit; and a child of the test runner
    /// inherits the signal mask of the runner's thread, where SIGHUP, SIGINT and SIGTERM are blocked, so
    /// tmux and the dashboard would ignore them. Here the output goes to a file, and the child starts with
    /// no signal blocked and every signal at its default action, as from a shell.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        for signal: Int32 in 1..<32 where signal != SIGKILL && signal != SIGSTOP { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw TmuxError("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + status & 0x7f, output)
    }
}

struct TmuxError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Quotes a string for `sh`.
func shellQuoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
