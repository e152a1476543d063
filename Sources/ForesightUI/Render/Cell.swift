/// One terminal cell: a character and its style.
///
/// A wide character (CJK, most emoji) takes two cells: the first holds the character, the second is a
/// *continuation* cell that the backend skips, because the terminal fills it when it draws the first.
public struct Cell: Hashable, Sendable {
    /// The grapheme shown; a space for a blank cell. Meaningless in a continuation cell.
    public var character: Character
    /// Colours and attributes.
    public var style: Style
    /// Whether this is the right half of a wide character drawn in the cell to its left.
    public var isContinuation: Bool

    /// Creates a cell holding `character`.
    @inlinable
    public init(_ character: Character, style: Style = .plain) {
        self.character = character
        self.style = style
        self.isContinuation = false
    }

    /// A blank cell with the given style.
    @inlinable
    public static func blank(_ style: Style = .plain) -> Cell { Cell(" ", style: style) }

    /// The right half of a wide character, carrying the same style as its left half.
    @inlinable
    public static func continuation(_ style: Style) -> Cell {
        var cell = Cell(" ", style: style)
        cell.isContinuation = true
        return cell
    }

    /// Columns this cell's character takes on screen: 0 for a continuation, else 1 or 2.
    @inlinable
    public var displayWidth: Int {
        isContinuation ? 0 : max(1, DisplayWidth.of(character))
    }
}
