import Foundation
import ForesightTestSupport
import Testing

/// The real `foresight dashboard` in a detached tmux session: it replays a log, follows lines appended to
/// it, answers keys, and exits on `q`. Waits are bounded polls of the screen, never fixed sleeps.
struct DashboardEndToEndTests {
    /// `count` events of `customers` customers (u1…), one minute apart on 2026-03-02.
    static func events(_ count: Int, customers: Int, startMinute: Int = 0) -> String {
        (0..<count).map { i in
            let minute = startMinute + i
            let time = String(format: "2026-03-02T%02d:%02d:00Z", 8 + minute / 60, minute % 60)
            return #"{"event":"Product Viewed","userId":"u\#(i % customers + 1)","timestamp":"\#(time)","messageId":"m-\#(minute)","properties":{"product_id":"p1","category":"tents","price":20},"context":{"channel":"web"}}"#
        }.joined(separator: "\n") + "\n"
    }

    static func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    @Test func followsTheLogAndAnswersKeys() throws {
        guard TmuxSession.isAvailable else {
            print("DashboardEndToEndTests: skipped, tmux is not installed")
            return
        }
        let binary = try ForesightBinary.path()
        let dir = try TemporaryDirectory("foresight-e2e")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl")
        try Self.events(20, customers: 5).write(toFile: log, atomically: true, encoding: .utf8)

        // The shell reports the dashboard's exit status, then keeps the pane open so the test can read it.
        let command = "LANG=C.UTF-8 \(shellQuoted(binary)) dashboard \(shellQuoted(log)) --quarantine none; "
            + "echo \"dashboard exited with status $?\"; sleep 60"
        let tmux = try TmuxSession(command: command, width: 120, height: 40)
        defer { tmux.kill() }

        let initial = tmux.waitForScreen { $0.contains("20 events accepted") && $0.contains("5 customers") }
        try #require(initial.ok, "the initial count never showed:\n\(initial.screen)")
        #expect(initial.screen.contains("Overview"))

        // A new customer who buys: the top of the revenue order.
        try Self.append(Self.events(4, customers: 5, startMinute: 100), to: log)
        try Self.append(#"{"event":"Order Completed","userId":"big-spender","timestamp":"2026-03-02T11:00:00Z","messageId":"o-1","properties":{"order_id":"o-1","revenue":999},"context":{"channel":"web"}}"# + "\n", to: log)
        let grown = tmux.waitForScreen { $0.contains("25 events accepted") && $0.contains("6 customers") }
        #expect(grown.ok, "the appended events never showed:\n\(grown.screen)")

        try tmux.send("2")
        let table = tmux.waitForScreen { $0.contains("Customers: 6") && $0.contains("big-spender") }
        #expect(table.ok, "the customers table never showed:\n\(table.screen)")

        try tmux.send("Enter")
        let detail = tmux.waitForScreen { $0.contains("Journey timeline") && $0.contains("big-spender") && $0.contains("$999.00") }
        #expect(detail.ok, "Enter did not open the customer:\n\(detail.screen)")

        try tmux.send("Escape")
        let back = tmux.waitForScreen { $0.contains("Customers: 6") && !$0.contains("Journey timeline") }
        #expect(back.ok, "Esc did not return to the table:\n\(back.screen)")

        try tmux.send("q")
        let exited = tmux.waitForScreen { $0.contains("dashboard exited with status") }
        #expect(exited.ok, "q did not end the dashboard:\n\(exited.screen)")
        #expect(exited.screen.contains("dashboard exited with status 0"))
    }

    /// A trigger fires live: an abandoned cart reminder goes out once the log's clock passes its hour, is on the
    /// Campaigns tab and in the outbox, once.
    @Test func aCampaignTriggerFiresLiveIntoTheOutbox() throws {
        guard TmuxSession.isAvailable else {
            print("DashboardEndToEndTests: skipped, tmux is not installed")
            return
        }
        let binary = try ForesightBinary.path()
        let dir = try TemporaryDirectory("foresight-e2e")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl"), config = dir.file("foresight.yml"), outbox = dir.file("outbox.jsonl")
        try """
        campaigns:
          quiet_hours: off
        triggers:
          - { name: Cart reminder, after: Product Added, not_followed_by: Order Completed, within: 1h, channel: email, template: cart, control: 0 }
        """.write(toFile: config, atomically: true, encoding: .utf8)
        try (#"{"type":"identify","userId":"ann","timestamp":"2026-03-02T09:00:00Z","traits":{"email":"ann@example.com","email_opt_in":true}}"# + "\n"
             + #"{"event":"Product Added","userId":"ann","timestamp":"2026-03-02T10:00:00Z","properties":{"product_id":"tent","price":99}}"# + "\n")
            .write(toFile: log, atomically: true, encoding: .utf8)
        let command = "LANG=C.UTF-8 \(shellQuoted(binary)) dashboard \(shellQuoted(log)) --config \(shellQuoted(config)) --outbox \(shellQuoted(outbox)) "
            + "--quarantine none --no-state; echo \"dashboard exited with status $?\"; sleep 60"
        let tmux = try TmuxSession(command: command, width: 120, height: 40)
        defer { tmux.kill() }
        #expect(tmux.waitForScreen { $0.contains("2 events accepted") }.ok)
        try tmux.send("6")
        let waiting = tmux.waitForScreen { $0.contains("Cart reminder") && $0.contains("Campaign triggers: 1") }
        #expect(waiting.ok, "the Campaigns tab never showed the trigger:\n\(waiting.screen)")
        // Another customer's event two hours later moves the log's clock past ann's hour.
        try Self.append(#"{"event":"Page Viewed","userId":"bob","timestamp":"2026-03-02T12:00:00Z"}"# + "\n", to: log)
        let sent = tmux.waitForScreen { $0.contains("email: cart") && $0.contains("ann") }
        #expect(sent.ok, "the reminder never showed as sent:\n\(sent.screen)")
        let lines = (try? String(contentsOfFile: outbox, encoding: .utf8))?.split(separator: "\n") ?? []
        #expect(lines.count == 1 && lines.first?.contains("\"customer\":\"ann\"") == true, "\(lines)")
        try tmux.send("q")
        #expect(tmux.waitForScreen { $0.contains("dashboard exited with status 0") }.ok)
    }

    @Test func withoutATerminalPointsToTheHeadlessCommands() throws {
        let binary = try ForesightBinary.path()
        let dir = try TemporaryDirectory("foresight-e2e")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl")
        try Self.events(3, customers: 1).write(toFile: log, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["dashboard", log, "--quarantine", "none"]
        process.standardInput = FileHandle.nullDevice
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()

        #expect(process.terminationStatus != 0)
        #expect(stderr.contains("needs a terminal"), "stderr: \(stderr)")
        #expect(stderr.contains("foresight report"), "stderr: \(stderr)")
    }
}
