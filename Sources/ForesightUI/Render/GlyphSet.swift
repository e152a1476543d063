/// The characters widgets draw lines, bars and marks with: Unicode, or plain ASCII for terminals whose
/// locale is not UTF-8 (where box-drawing characters would come out as garbage).
///
/// Every glyph is one column wide.
public struct GlyphSet: Hashable, Sendable {
    /// Box-drawing pieces.
    public var horizontal, vertical, topLeft, topRight, bottomLeft, bottomRight: Character
    /// T-junctions (pointing into the box), for separators.
    public var teeLeft, teeRight, teeDown, teeUp: Character
    /// Sparkline levels from lowest to highest.
    public var sparkline: [Character]
    /// A full bar cell.
    public var barFull: Character
    /// Partial bar cells for 1/8 … 7/8 of a cell (empty when the set has none).
    public var barPartials: [Character]
    /// The unfilled part of a progress bar.
    public var barTrack: Character
    /// Marks a value that went up, down, or stayed.
    public var arrowUp, arrowDown, arrowFlat: Character
    /// Marks the sorted column: ascending, descending.
    public var sortAscending, sortDescending: Character
    /// Ends truncated text.
    public var ellipsis: Character
    /// Points at the selected item.
    public var pointer: Character
    /// Separates items on one line.
    public var bullet: Character
    /// The thumb and track of a scroll indicator.
    public var scrollThumb, scrollTrack: Character

    /// Unicode box drawing, block elements and arrows.
    public static let unicode = GlyphSet(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        teeLeft: "├", teeRight: "┤", teeDown: "┬", teeUp: "┴",
        sparkline: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        barFull: "█", barPartials: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"], barTrack: "░",
        arrowUp: "↑", arrowDown: "↓", arrowFlat: "→",
        sortAscending: "▲", sortDescending: "▼",
        ellipsis: "…", pointer: "▶", bullet: "•",
        scrollThumb: "█", scrollTrack: "│")

    /// Seven-bit ASCII only.
    public static let ascii = GlyphSet(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        teeLeft: "+", teeRight: "+", teeDown: "+", teeUp: "+",
        sparkline: ["_", ".", "-", "=", "#"],
        barFull: "#", barPartials: [], barTrack: ".",
        arrowUp: "^", arrowDown: "v", arrowFlat: "=",
        sortAscending: "^", sortDescending: "v",
        ellipsis: "~", pointer: ">", bullet: "*",
        scrollThumb: "#", scrollTrack: "|")

    /// Whether this is the ASCII set.
    public var isASCII: Bool { self == .ascii }

    /// The bar glyphs for a length measured in eighths of a cell: full cells, then one partial cell if the
    /// set has partials (rounded to the nearest whole cell otherwise).
    public func bar(eighths: Int) -> (full: Int, partial: Character?) {
        let eighths = max(0, eighths)
        guard barPartials.count == 7 else { return ((eighths + 4) / 8, nil) }
        let remainder = eighths % 8
        return (eighths / 8, remainder == 0 ? nil : barPartials[remainder - 1])
    }
}
