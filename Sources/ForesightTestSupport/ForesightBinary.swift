import Foundation

/// The `foresight` binary under test: `FORESIGHT_BINARY` if set, else the one SwiftPM built next to the
/// test bundle (test targets that depend on the executable make `swift test` build it).
public enum ForesightBinary {
    public static func path() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["FORESIGHT_BINARY"], !explicit.isEmpty { return explicit }
        var candidates: [URL] = []
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        candidates.append(exe.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for dir in candidates {
            let path = dir.appendingPathComponent("foresight").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw BinaryNotFound(description: "no foresight binary next to the tests in \(candidates.map(\.path)); set FORESIGHT_BINARY")
    }

    public struct BinaryNotFound: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs the binary with `arguments` (standard input from /dev/null) and returns its exit status,
    /// standard output and standard error.
    public static func run(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdoutData, as: UTF8.self), String(decoding: stderrData, as: UTF8.self))
    }
}
