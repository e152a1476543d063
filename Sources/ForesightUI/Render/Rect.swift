/// A rectangle of terminal cells: origin at the top-left, sizes in columns and rows.
///
/// Layout helpers never produce negative sizes: an area that does not fit collapses to zero width or height,
/// so widgets given an empty rectangle simply draw nothing.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    /// Column of the left edge (0 is the leftmost column).
    public var x: Int
    /// Row of the top edge (0 is the top row).
    public var y: Int
    /// Width in columns, never negative.
    public var width: Int
    /// Height in rows, never negative.
    public var height: Int

    /// Creates a rectangle; negative sizes are clamped to zero.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// A rectangle at the origin with the given size.
    public init(width: Int, height: Int) {
        self.init(x: 0, y: 0, width: width, height: height)
    }

    /// The empty rectangle at the origin.
    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    /// One past the right-most column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }
    /// Whether the rectangle covers no cell.
    public var isEmpty: Bool { width == 0 || height == 0 }
    /// Number of cells covered.
    public var area: Int { width * height }

    public var description: String { "\(width)x\(height)@\(x),\(y)" }

    /// Whether the cell at (`column`, `row`) lies inside.
    public func contains(column: Int, row: Int) -> Bool {
        column >= x && column < maxX && row >= y && row < maxY
    }

    /// The overlap of two rectangles (empty when they do not meet).
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// Shrinks every side by `amount` cells.
    public func inset(by amount: Int) -> Rect {
        inset(top: amount, left: amount, bottom: amount, right: amount)
    }

    /// Shrinks each side by its own amount.
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
    }

    /// Shrinks horizontally by `columns` on each side and vertically by `rows` on each side.
    public func inset(horizontal columns: Int, vertical rows: Int) -> Rect {
        inset(top: rows, left: columns, bottom: rows, right: columns)
    }

    /// The single row at offset `index` from the top (empty if out of range).
    public func row(_ index: Int) -> Rect {
        guard index >= 0, index < height else { return Rect(x: x, y: y + max(0, index), width: width, height: 0) }
        return Rect(x: x, y: y + index, width: width, height: 1)
    }

    /// The top `rows` rows and the rest below them.
    public func splitTop(_ rows: Int) -> (top: Rect, rest: Rect) {
        let taken = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: taken),
                Rect(x: x, y: y + taken, width: width, height: height - taken))
    }

    /// The bottom `rows` rows and the rest above them.
    public func splitBottom(_ rows: Int) -> (rest: Rect, bottom: Rect) {
        let taken = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: height - taken),
                Rect(x: x, y: maxY - taken, width: width, height: taken))
    }

    /// The left `columns` columns and the rest to their right.
    public func splitLeft(_ columns: Int) -> (left: Rect, rest: Rect) {
        let taken = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: taken, height: height),
                Rect(x: x + taken, y: y, width: width - taken, height: height))
    }

    /// The right `columns` columns and the rest to their left.
    public func splitRight(_ columns: Int) -> (rest: Rect, right: Rect) {
        let taken = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: width - taken, height: height),
                Rect(x: maxX - taken, y: y, width: taken, height: height))
    }

    /// Splits into stacked rows whose heights follow `constraints`, separated by `spacing` blank rows.
    ///
    /// - Complexity: O(number of constraints).
    public func rows(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        let sizes = Constraint.resolve(constraints, total: height, spacing: spacing)
        var result: [Rect] = []
        result.reserveCapacity(sizes.count)
        var top = y
        for size in sizes {
            result.append(Rect(x: x, y: top, width: width, height: size))
            top += size + max(0, spacing)
        }
        return result
    }

    /// Splits into side-by-side columns whose widths follow `constraints`, separated by `spacing` columns.
    ///
    /// - Complexity: O(number of constraints).
    public func columns(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        let sizes = Constraint.resolve(constraints, total: width, spacing: spacing)
        var result: [Rect] = []
        result.reserveCapacity(sizes.count)
        var left = x
        for size in sizes {
            result.append(Rect(x: left, y: y, width: size, height: height))
            left += size + max(0, spacing)
        }
        return result
    }

    /// Splits into `count` columns of (nearly) equal width.
    public func equalColumns(_ count: Int, spacing: Int = 0) -> [Rect] {
        columns(Array(repeating: .flexible(1), count: max(0, count)), spacing: spacing)
    }

    /// Splits into `count` rows of (nearly) equal height.
    public func equalRows(_ count: Int, spacing: Int = 0) -> [Rect] {
        rows(Array(repeating: .flexible(1), count: max(0, count)), spacing: spacing)
    }

    /// A rectangle of at most `width` × `height` centred in this one.
    public func centered(width: Int, height: Int) -> Rect {
        let w = min(max(0, width), self.width), h = min(max(0, height), self.height)
        return Rect(x: x + (self.width - w) / 2, y: y + (self.height - h) / 2, width: w, height: h)
    }
}
