import ForesightUI
import Testing

struct LayoutTests {
    let screen = Rect(width: 80, height: 24)

    @Test func splitsTakeFromTheEdgesAndClamp() {
        let (top, rest) = screen.splitTop(1)
        #expect(top == Rect(x: 0, y: 0, width: 80, height: 1))
        #expect(rest == Rect(x: 0, y: 1, width: 80, height: 23))
        let (body, footer) = rest.splitBottom(1)
        #expect(footer.y == 23 && body.height == 22)
        let (left, right) = screen.splitLeft(200)
        #expect(left.width == 80 && right.isEmpty)
        #expect(screen.splitRight(30).right == Rect(x: 50, y: 0, width: 30, height: 24))
    }

    @Test func insetNeverGoesNegative() {
        #expect(screen.inset(by: 1) == Rect(x: 1, y: 1, width: 78, height: 22))
        #expect(Rect(width: 3, height: 1).inset(by: 2).isEmpty)
        #expect(screen.inset(horizontal: 2, vertical: 1) == Rect(x: 2, y: 1, width: 76, height: 22))
    }

    @Test func constraintsServeFixedAndPercentThenShareTheRestByWeight() {
        #expect(Constraint.resolve([.fixed(10), .flexible(1), .flexible(2)], total: 40) == [10, 10, 20])
        #expect(Constraint.resolve([.percent(25), .flexible(1)], total: 80) == [20, 60])
        #expect(Constraint.resolve([.flexible(1), .flexible(1), .flexible(1)], total: 10) == [4, 3, 3])
        #expect(Constraint.resolve([.fixed(50), .fixed(50)], total: 60) == [50, 10])
        #expect(Constraint.resolve([.flexible(1), .flexible(1)], total: 21, spacing: 1) == [10, 10])
    }

    @Test func columnsAndRowsAreLaidOutWithSpacing() {
        let tiles = screen.row(2).equalColumns(4, spacing: 1)
        #expect(tiles.map(\.x) == [0, 21, 41, 61])
        #expect(tiles.map(\.width) == [20, 19, 19, 19])
        let rows = screen.rows([.fixed(1), .flexible(1), .fixed(1)])
        #expect(rows.map(\.height) == [1, 22, 1])
        #expect(rows[2].y == 23)
    }

    @Test func centeredAndIntersection() {
        #expect(screen.centered(width: 40, height: 10) == Rect(x: 20, y: 7, width: 40, height: 10))
        #expect(screen.centered(width: 100, height: 30) == screen)
        #expect(Rect(x: 70, y: 20, width: 20, height: 10).intersection(screen) == Rect(x: 70, y: 20, width: 10, height: 4))
        #expect(Rect(x: 90, y: 0, width: 5, height: 5).intersection(screen).isEmpty)
    }

    @Test func alignmentOffsets() {
        #expect(HorizontalAlignment.right.offset(textWidth: 3, fieldWidth: 10) == 7)
        #expect(HorizontalAlignment.center.offset(textWidth: 4, fieldWidth: 10) == 3)
        #expect(HorizontalAlignment.right.offset(textWidth: 12, fieldWidth: 10) == 0)
    }

    @Test func scrollingKeepsTheSelectionInView() {
        #expect(Scrolling.offset(keeping: 5, visible: 0, visibleCount: 10, totalCount: 100) == 0)
        #expect(Scrolling.offset(keeping: 12, visible: 0, visibleCount: 10, totalCount: 100) == 3)
        #expect(Scrolling.offset(keeping: 2, visible: 3, visibleCount: 10, totalCount: 100) == 2)
        #expect(Scrolling.offset(keeping: 99, visible: 95, visibleCount: 10, totalCount: 100) == 90)
        #expect(Scrolling.offset(keeping: 3, visible: 7, visibleCount: 10, totalCount: 8) == 0)
    }
}
