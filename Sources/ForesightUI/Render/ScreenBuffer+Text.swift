extension ScreenBuffer {
    /// Each row as text, trailing spaces trimmed; a wide character appears once.
    ///
    /// - Complexity: O(width × height).
    public func lines() -> [String] {
        (0..<height).map { row in
            var line = ""
            line.reserveCapacity(width)
            var pendingSpaces = 0
            let start = row * width
            for column in 0..<width {
                let cell = cells[start + column]
                if cell.isContinuation { continue }
                if cell.character == " " {
                    pendingSpaces += 1
                    continue
                }
                if pendingSpaces > 0 {
                    line.append(String(repeating: " ", count: pendingSpaces))
                    pendingSpaces = 0
                }
                line.append(cell.character)
            }
            return line
        }
    }

    /// The whole grid as text: `lines()` joined with newlines.
    public var text: String { lines().joined(separator: "\n") }

    /// The styles of the grid as text, for snapshots that check highlighting.
    ///
    /// One row of letters per grid row, one letter per column (a wide character's two columns share its
    /// letter), `.` for a plain cell, trailing plain cells trimmed; then a legend line per letter in order
    /// of first appearance, such as `a = fg=cyan bold`.
    public func styleMap() -> [String] {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var assigned: [Style: Character] = [:]
        var legend: [String] = []
        var rows: [String] = []
        for row in 0..<height {
            var line = ""
            for column in 0..<width {
                let style = cells[row * width + column].style
                if style == .plain {
                    line.append(".")
                    continue
                }
                if let letter = assigned[style] {
                    line.append(letter)
                } else {
                    let letter = assigned.count < letters.count ? letters[assigned.count] : "?"
                    assigned[style] = letter
                    legend.append("\(letter) = \(style)")
                    line.append(letter)
                }
            }
            while line.last == "." { line.removeLast() }
            rows.append(line)
        }
        return rows + legend
    }
}
