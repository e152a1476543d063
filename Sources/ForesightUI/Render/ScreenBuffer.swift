/// An in-memory grid of cells that views and widgets draw into and a backend copies to the screen.
///
/// Drawing clips to the grid: nothing outside it is written and no call traps on out-of-range
/// coordinates. Wide characters take two cells; overwriting either half of one blanks the other half, so
/// the grid never holds half a character. The buffer carries the `RenderContext` (glyphs, colour mode,
/// theme) that widgets draw with, and applies its colour mode to every style written.
public struct ScreenBuffer: Equatable, Sendable {
    /// Columns.
    public private(set) var width: Int
    /// Rows.
    public private(set) var height: Int
    /// Glyphs, colour mode and theme for whoever draws into this buffer.
    public var context: RenderContext
    /// Row-major cells, `width * height` of them.
    @usableFromInline var cells: [Cell]

    /// Creates a blank buffer.
    public init(width: Int, height: Int, context: RenderContext = .standard) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.context = context
        self.cells = Array(repeating: .blank(), count: self.width * self.height)
    }

    /// The whole buffer as a rectangle at the origin.
    public var area: Rect { Rect(width: width, height: height) }

    /// The cell at column `x`, row `y`; a blank cell outside the grid.
    @inlinable
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, x < width, y >= 0, y < height else { return .blank() }
        return cells[y * width + x]
    }

    /// Blanks every cell.
    public mutating func clear(style: Style = .plain) {
        let blank = Cell.blank(context.colorMode.apply(style))
        for index in cells.indices { cells[index] = blank }
    }

    /// Changes the size and blanks every cell.
    public mutating func resize(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank(), count: self.width * self.height)
    }

    /// Fills the part of `rect` inside the grid with one single-width character.
    ///
    /// - Complexity: O(rect.area).
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        let cell = Cell(DisplayWidth.of(character) == 1 ? character : " ", style: context.colorMode.apply(style))
        for row in clipped.y..<clipped.maxY {
            unpairEdges(row: row, from: clipped.x, to: clipped.maxX)
            let start = row * width
            for column in clipped.x..<clipped.maxX { cells[start + column] = cell }
        }
    }

    /// Restyles the cells of `rect` (characters stay), for highlighting a row after drawing it.
    ///
    /// - Parameter patch: when true, only the non-default parts of `style` replace the cell's own.
    public mutating func setStyle(_ style: Style, in rect: Rect, patch: Bool = false) {
        let clipped = rect.intersection(area)
        guard !clipped.isEmpty else { return }
        let applied = context.colorMode.apply(style)
        for row in clipped.y..<clipped.maxY {
            for column in clipped.x..<clipped.maxX {
                let index = row * width + column
                cells[index].style = patch ? cells[index].style.patched(with: applied) : applied
            }
        }
    }

    /// Writes one character at (`x`, `y`); a wide character that does not fit before the right edge, or a
    /// zero-width one, writes nothing.
    /// - Returns: the columns taken (0, 1 or 2).
    @discardableResult
    public mutating func put(_ character: Character, x: Int, y: Int, style: Style = .plain) -> Int {
        let columns = DisplayWidth.of(character)
        guard columns > 0, y >= 0, y < height, x >= 0, x + columns <= width else { return 0 }
        store(character, columns: columns, x: x, y: y, style: context.colorMode.apply(style))
        return columns
    }

    /// Writes `text` from (`x`, `y`) on one row, clipped to the grid and to `maxWidth` columns.
    ///
    /// Text that does not fit ends with the glyph set's ellipsis in the last column (or is cut short when
    /// `ellipsis` is false). Control and zero-width characters (other than those inside a grapheme
    /// cluster) are dropped.
    /// - Returns: the columns written, ellipsis included.
    /// - Complexity: O(n) in the text's length; printable ASCII takes a byte loop without grapheme breaking.
    @discardableResult
    public mutating func put(
        _ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int = .max, ellipsis: Bool = true
    ) -> Int {
        guard y >= 0, y < height, maxWidth > 0, x < width else { return 0 }
        let limit = x + min(maxWidth, width - x)
        let style = context.colorMode.apply(style)
        let ascii = DisplayWidth.asciiWidth(text)
        let truncated = ellipsis && (ascii ?? DisplayWidth.of(text)) > limit - x
        let contentLimit = truncated ? limit - 1 : limit
        var column = x
        if ascii != nil {
            for byte in text.utf8 {
                guard column < contentLimit else { break }
                if column >= 0 { store(Character(Unicode.Scalar(byte)), columns: 1, x: column, y: y, style: style) }
                column += 1
            }
        } else {
            for character in text {
                let columns = DisplayWidth.of(character)
                guard columns > 0 else { continue }
                guard column + columns <= contentLimit else { break }
                if column >= 0 {
                    store(character, columns: columns, x: column, y: y, style: style)
                } else if column + columns > 0 {
                    store(" ", columns: 1, x: 0, y: y, style: style)
                }
                column += columns
            }
        }
        if truncated, column >= 0, column < limit {
            store(context.glyphs.ellipsis, columns: 1, x: column, y: y, style: style)
            column += 1
        }
        return max(0, column - max(x, 0))
    }

    /// Stores a character known to fit, keeping wide characters whole. `style` is already resolved.
    @inlinable
    mutating func store(_ character: Character, columns: Int, x: Int, y: Int, style: Style) {
        unpairEdges(row: y, from: x, to: x + columns)
        let index = y * width + x
        cells[index] = Cell(character, style: style)
        if columns == 2 { cells[index + 1] = .continuation(style) }
    }

    /// Before cells `from..<to` of `row` are overwritten, blanks the halves of wide characters that
    /// straddle either edge, so no half character is left behind.
    @inlinable
    mutating func unpairEdges(row: Int, from: Int, to: Int) {
        let start = row * width
        if from > 0, from < width, cells[start + from].isContinuation {
            cells[start + from - 1] = .blank(cells[start + from - 1].style)
        }
        if to < width, to > 0, cells[start + to].isContinuation {
            cells[start + to] = .blank(cells[start + to].style)
        }
    }
}
