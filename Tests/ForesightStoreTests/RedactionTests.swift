import Foundation
import Testing
import ForesightCore
import ForesightSim
import ForesightTestSupport

/// `--redact`: no id, email or name in the output; the same pseudonym every run under one key.
@Suite struct RedactionTests {
    @Test func exportsShowStablePseudonymsOnly() throws {
        let dir = try TemporaryDirectory("redact")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl")
        try Data(Generator.generate(GeneratorOptions(customers: 200, days: 10, seed: 3)).bytes).write(to: URL(fileURLWithPath: log))
        let plain = try ForesightBinary.run(["customers", log, "--csv", "--quarantine", "none", "--no-state"])
        let ids = plain.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        #expect(ids.count > 50)
        let args = ["customers", log, "--csv", "--quarantine", "none", "--redact"]
        let first = try ForesightBinary.run(args)
        let second = try ForesightBinary.run(args)
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout, "the key kept in the state file gives the same pseudonyms")
        for id in ids.prefix(50) { #expect(!first.stdout.contains(id + ",")) }
        #expect(first.stdout.contains("c-"))

        let top = ids[0]
        let detail = try ForesightBinary.run(["customer", log, top, "--json", "--quarantine", "none", "--redact"])
        #expect(detail.status == 0)
        #expect(!detail.stdout.contains("\"\(top)\""))
        #expect(!detail.stdout.contains("@mail.example"))

        var env = ProcessInfo.processInfo.environment
        env["FORESIGHT_REDACT_KEY"] = "another key"
        let other = try runWith(env: env, args)
        #expect(other != first.stdout, "another key, other pseudonyms")
    }

    func runWith(env: [String: String], _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ForesightBinary.path())
        process.arguments = arguments
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
