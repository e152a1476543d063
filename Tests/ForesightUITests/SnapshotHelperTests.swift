import ForesightTestSupport
import ForesightUI
import Foundation
import Testing

struct SnapshotHelperTests {
    @Test func snapshotTextHasTrimmedLinesAndAnOptionalStyleSection() {
        var buffer = ScreenBuffer(width: 6, height: 2)
        buffer.put("ab", x: 0, y: 0, style: Style(bold: true))
        #expect(Snapshot.text(of: buffer) == "ab\n\n")
        #expect(Snapshot.text(of: buffer, includeStyles: true) == "ab\n\n-- styles --\naa\n\na = bold\n")
    }

    @Test func lineDiffMarksOnlyTheChangedLines() {
        #expect(Snapshot.lineDiff(expected: "a\nb", actual: "a\nb") == nil)
        #expect(Snapshot.lineDiff(expected: "a\nb\nc", actual: "a\nB\nc") == "  a\n- b\n+ B\n  c")
        #expect(Snapshot.lineDiff(expected: "a", actual: "a\nnew") == "  a\n+ new")
    }

    @Test func snapshotsLiveBesideTheTestFile() {
        let url = Snapshot.url(named: "panel.ascii", testFile: "/repo/Tests/ForesightUITests/WidgetTests.swift")
        #expect(url.path == "/repo/Tests/ForesightUITests/Snapshots/panel.ascii.txt")
    }

    @Test func aMismatchIsReportedAsAnIssue() throws {
        let name = "helper-mismatch-probe"
        let url = Snapshot.url(named: name, testFile: #filePath)
        try "something else\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        var buffer = ScreenBuffer(width: 5, height: 1)
        buffer.put("text", x: 0, y: 0)
        guard ProcessInfo.processInfo.environment[Snapshot.recordVariable] != "1" else { return }
        withKnownIssue {
            #expect(!assertSnapshot(buffer, named: name))
        }
    }
}
