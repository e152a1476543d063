import Foundation
import ForesightUI
import Testing

/// Text snapshots of screen buffers, stored as `Snapshots/<name>.txt` next to the test file that asks.
///
/// A missing snapshot is recorded (and the test passes); `FORESIGHT_RECORD_SNAPSHOTS=1` re-records every
/// snapshot a run touches. Review recorded files like code: they are the expected screens.
public enum Snapshot {
    /// The environment variable that turns on re-recording.
    public static let recordVariable = "FORESIGHT_RECORD_SNAPSHOTS"

    /// The text a snapshot file holds for `buffer`: its lines, then, if asked, a styles section (see
    /// `ScreenBuffer.styleMap()`), ending with a newline.
    public static func text(of buffer: ScreenBuffer, includeStyles: Bool = false) -> String {
        var lines = buffer.lines()
        if includeStyles { lines += ["-- styles --"] + buffer.styleMap() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The snapshot file for `name`, in the `Snapshots` folder beside `testFile`.
    public static func url(named name: String, testFile: String) -> URL {
        URL(fileURLWithPath: testFile).deletingLastPathComponent()
            .appendingPathComponent("Snapshots", isDirectory: true)
            .appendingPathComponent(name + ".txt")
    }

    /// A line-by-line comparison for a failure message: unchanged lines indented, then `-` expected and
    /// `+` actual for each line that differs; nil when the texts are equal.
    public static func lineDiff(expected: String, actual: String) -> String? {
        guard expected != actual else { return nil }
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var output: [String] = []
        for index in 0..<max(old.count, new.count) {
            let before = index < old.count ? String(old[index]) : nil
            let after = index < new.count ? String(new[index]) : nil
            if before == after, let before {
                output.append("  " + before)
            } else {
                if let before { output.append("- " + before) }
                if let after { output.append("+ " + after) }
            }
        }
        return output.joined(separator: "\n")
    }
}

/// Checks `buffer` against the snapshot `name`, recording it when missing or when
/// `FORESIGHT_RECORD_SNAPSHOTS=1`; on a mismatch, records an issue with a line diff.
///
/// - Parameters:
///   - buffer: the rendered screen.
///   - name: the file name without `.txt`; use letters, digits, `-` and `_`.
///   - includeStyles: also compare which cells carry which style.
///   - sourceLocation: where the test is; its file decides the `Snapshots` folder.
/// - Returns: whether the buffer matched (or was recorded).
@discardableResult
public func assertSnapshot(
    _ buffer: ScreenBuffer, named name: String, includeStyles: Bool = false,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Bool {
    let actual = Snapshot.text(of: buffer, includeStyles: includeStyles)
    let url = Snapshot.url(named: name, testFile: sourceLocation.filePath)
    let recording = ProcessInfo.processInfo.environment[Snapshot.recordVariable] == "1"
    let expected = try? String(contentsOf: url, encoding: .utf8)

    if recording || expected == nil {
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return true
        } catch {
            Issue.record("Could not record snapshot \(url.path): \(error)", sourceLocation: sourceLocation)
            return false
        }
    }
    guard let expected, let diff = Snapshot.lineDiff(expected: expected, actual: actual) else { return true }
    Issue.record(
        """
        Snapshot \(name) does not match \(url.path) (- expected, + actual; \
        \(Snapshot.recordVariable)=1 re-records):
        \(diff)
        """,
        sourceLocation: sourceLocation)
    return false
}
