/// A horizontal run of cells that differ between two frames.
public struct ChangedRun: Hashable, Sendable {
    /// Row.
    public var y: Int
    /// First column.
    public var x: Int
    /// Number of cells (a continuation cell counts, though a backend does not draw it).
    public var count: Int

    /// Creates a run.
    public init(y: Int, x: Int, count: Int) {
        self.y = y
        self.x = x
        self.count = count
    }
}

extension ScreenBuffer {
    /// The runs of cells that differ from `previous`, row by row, left to right.
    ///
    /// When the sizes differ every row is one full run (a backend redraws everything after a resize). A run
    /// never starts on the right half of a wide character, so drawing each run's cells in order reproduces
    /// this buffer exactly.
    /// - Complexity: O(width × height), one comparison per cell.
    public func diff(from previous: ScreenBuffer) -> [ChangedRun] {
        guard previous.width == width, previous.height == height else {
            return (0..<height).map { ChangedRun(y: $0, x: 0, count: width) }
        }
        var runs: [ChangedRun] = []
        cells.withUnsafeBufferPointer { now in
            previous.cells.withUnsafeBufferPointer { before in
                for row in 0..<height {
                    let start = row * width
                    var column = 0
                    while column < width {
                        guard now[start + column] != before[start + column] else {
                            column += 1
                            continue
                        }
                        var first = column
                        if first > 0, now[start + first].isContinuation { first -= 1 }
                        column += 1
                        while column < width, now[start + column] != before[start + column] { column += 1 }
                        runs.append(ChangedRun(y: row, x: first, count: column - first))
                    }
                }
            }
        }
        return runs
    }

    /// The number of cells that differ from `previous` (all of them after a resize).
    public func changedCellCount(from previous: ScreenBuffer) -> Int {
        diff(from: previous).reduce(0) { $0 + $1.count }
    }

    /// Calls `body` with each cell of a run and its column, skipping continuation cells.
    @inlinable
    public func forEachCell(in run: ChangedRun, _ body: (_ x: Int, _ cell: Cell) -> Void) {
        guard run.y >= 0, run.y < height else { return }
        let start = run.y * width
        let end = min(run.x + run.count, width)
        var column = max(0, run.x)
        while column < end {
            let cell = cells[start + column]
            if !cell.isContinuation { body(column, cell) }
            column += 1
        }
    }
}
