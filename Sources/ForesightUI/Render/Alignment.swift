/// Where text sits within a wider field.
public enum HorizontalAlignment: Hashable, Sendable {
    case left, center, right

    /// The column offset at which text of `textWidth` starts within a field of `fieldWidth` (0 when the
    /// text does not fit, so it is truncated at its end).
    public func offset(textWidth: Int, fieldWidth: Int) -> Int {
        let slack = fieldWidth - textWidth
        guard slack > 0 else { return 0 }
        switch self {
        case .left: return 0
        case .center: return slack / 2
        case .right: return slack
        }
    }
}

extension ScreenBuffer {
    /// Writes `text` aligned within the field of `width` columns starting at (`x`, `y`), truncated with an
    /// ellipsis when it does not fit. Cells of the field the text does not cover are left as they are.
    /// - Returns: the column just after the text.
    @discardableResult
    public mutating func put(
        _ text: String, x: Int, y: Int, width fieldWidth: Int, alignment: HorizontalAlignment,
        style: Style = .plain
    ) -> Int {
        guard fieldWidth > 0 else { return x }
        let start = x + alignment.offset(textWidth: text.displayWidth, fieldWidth: fieldWidth)
        return start + put(text, x: start, y: y, style: style, maxWidth: x + fieldWidth - start)
    }

    /// Writes a styled line aligned within a field, as `put(_:x:y:width:alignment:style:)` does for text.
    @discardableResult
    public mutating func put(
        _ line: StyledLine, x: Int, y: Int, width fieldWidth: Int, alignment: HorizontalAlignment,
        baseStyle: Style = .plain
    ) -> Int {
        guard fieldWidth > 0 else { return x }
        let start = x + alignment.offset(textWidth: line.displayWidth, fieldWidth: fieldWidth)
        return start + put(line, x: start, y: y, maxWidth: x + fieldWidth - start, baseStyle: baseStyle)
    }
}
