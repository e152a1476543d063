import ForesightUI
import Testing

struct DiffTests {
    @Test func identicalBuffersHaveNoChanges() {
        var buffer = ScreenBuffer(width: 20, height: 5)
        buffer.put("same", x: 3, y: 2)
        #expect(buffer.diff(from: buffer).isEmpty)
    }

    @Test func changedCellsFormRunsPerRow() {
        var before = ScreenBuffer(width: 20, height: 3)
        before.put("revenue 100", x: 0, y: 0)
        var after = before
        after.put("200", x: 8, y: 0)
        after.put("x", x: 19, y: 2)
        #expect(after.diff(from: before) == [
            ChangedRun(y: 0, x: 8, count: 1),  // "1" -> "2"; the zeros are unchanged
            ChangedRun(y: 2, x: 19, count: 1),
        ])
    }

    @Test func styleChangesCount() {
        var before = ScreenBuffer(width: 10, height: 1)
        before.put("row", x: 0, y: 0)
        var after = before
        after.setStyle(Style(reverse: true), in: Rect(x: 0, y: 0, width: 10, height: 1))
        #expect(after.diff(from: before) == [ChangedRun(y: 0, x: 0, count: 10)])
        #expect(after.changedCellCount(from: before) == 10)
    }

    @Test func sizeChangeRedrawsEverything() {
        let before = ScreenBuffer(width: 10, height: 2)
        let after = ScreenBuffer(width: 12, height: 3)
        #expect(after.diff(from: before) == (0..<3).map { ChangedRun(y: $0, x: 0, count: 12) })
    }

    @Test func wideCharacterReplacingNarrowOnesIsOneRunAndDrawsOnce() {
        var before = ScreenBuffer(width: 6, height: 1)
        before.put("abcd", x: 0, y: 0)
        var after = before
        after.put("中", x: 1, y: 0)
        let runs = after.diff(from: before)
        #expect(runs == [ChangedRun(y: 0, x: 1, count: 2)])
        var drawn: [(Int, Character)] = []
        for run in runs { after.forEachCell(in: run) { x, cell in drawn.append((x, cell.character)) } }
        #expect(drawn.map(\.0) == [1])
        #expect(drawn.map(\.1) == ["中"])
    }

    @Test func replayingRunsOverThePreviousFrameReproducesTheNewOne() {
        var before = ScreenBuffer(width: 30, height: 4)
        before.put("Customers 12,345 日本", x: 0, y: 0)
        before.put("churn 4.2%", x: 5, y: 2, style: Style(fg: .red))
        var after = ScreenBuffer(width: 30, height: 4)
        after.put("Customers 12,346 中文 ok", x: 0, y: 0)
        after.put("churn 4.3%", x: 5, y: 2, style: Style(fg: .green))
        after.put("new", x: 27, y: 3)

        var replayed = before
        for run in after.diff(from: before) {
            after.forEachCell(in: run) { x, cell in
                replayed.put(cell.character, x: x, y: run.y, style: cell.style)
            }
        }
        #expect(replayed == after)
    }
}
