import CNcursesw
import ForesightUI
import Glibc

extension NcursesBackend {
    /// The text ncurses holds for each row of its screen, trailing spaces trimmed: what the terminal shows
    /// after the last `draw`. For tests of the backend (with a headless device) and for debugging.
    ///
    /// - Complexity: O(width × height).
    public func screenLines() -> [String] {
        let size = self.size
        var cells = [cchar_t](repeating: cchar_t(), count: size.width + 1)
        return (0..<size.height).map { row in
            _ = mvwin_wchnstr(window, Int32(row), 0, &cells, Int32(size.width))
            // ncurses leaves out the right halves of wide characters, so entries and columns differ.
            var line = String.UnicodeScalarView()
            var column = 0, entry = 0
            while column < size.width, entry < size.width {
                let (characters, _, _) = NcursesBackend.contents(of: cells[entry])
                line.append(contentsOf: characters.isEmpty ? [" "] : characters)
                column += max(1, characters.first.map { DisplayWidth.of($0) } ?? 1)
                entry += 1
            }
            var text = String(line)
            while text.last == " " { text.removeLast() }
            return text
        }
    }

    /// The characters, attributes and colour pair ncurses holds at (`x`, `y`).
    func cellContents(x: Int, y: Int) -> (characters: [Unicode.Scalar], attributes: attr_t, pair: Int16) {
        var cell = cchar_t()
        _ = mvwin_wch(window, Int32(y), Int32(x), &cell)
        return NcursesBackend.contents(of: cell)
    }

    /// Whether the cell at (`x`, `y`) is drawn bold and whether reversed.
    public func cellAttributes(x: Int, y: Int) -> (bold: Bool, reverse: Bool, hasColor: Bool) {
        let (_, attributes, pair) = cellContents(x: x, y: y)
        return (attributes & foresight_a_bold() != 0, attributes & foresight_a_reverse() != 0, pair != 0)
    }

    private static func contents(of cell: cchar_t) -> (characters: [Unicode.Scalar], attributes: attr_t, pair: Int16) {
        var cell = cell
        var wide: (wchar_t, wchar_t, wchar_t, wchar_t, wchar_t, wchar_t) = (0, 0, 0, 0, 0, 0)
        var attributes: attr_t = 0
        var pair: Int16 = 0
        let scalars = withUnsafeMutableBytes(of: &wide) { raw -> [Unicode.Scalar] in
            let characters = raw.bindMemory(to: wchar_t.self)
            guard getcchar(&cell, characters.baseAddress, &attributes, &pair, nil) != ERR else { return [] }
            return characters.prefix { $0 != 0 }.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }
        }
        return (scalars, attributes, pair)
    }

    /// Resizes a headless screen as a terminal window resize would (`resizeterm`), so that the next
    /// `draw` repaints everything. For tests.
    func simulateResize(to size: Size) {
        _ = resizeterm(Int32(size.height), Int32(size.width))
        invalidate()
    }
}
