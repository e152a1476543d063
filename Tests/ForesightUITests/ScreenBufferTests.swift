import ForesightUI
import Testing

struct ScreenBufferTests {
    @Test func putWritesTextAndReportsColumns() {
        var buffer = ScreenBuffer(width: 10, height: 2)
        #expect(buffer.put("hello", x: 1, y: 0) == 5)
        #expect(buffer.lines() == [" hello", ""])
        #expect(buffer[1, 0].character == "h")
    }

    @Test func putTruncatesWithAnEllipsisAtTheEdgeAndAtMaxWidth() {
        var buffer = ScreenBuffer(width: 8, height: 3)
        #expect(buffer.put("customers", x: 0, y: 0) == 8)
        buffer.put("customers", x: 0, y: 1, maxWidth: 4)
        buffer.put("abc", x: 0, y: 2, maxWidth: 3)
        #expect(buffer.lines() == ["custome…", "cus…", "abc"])
    }

    @Test func asciiGlyphsUseAnASCIIEllipsis() {
        var buffer = ScreenBuffer(width: 5, height: 1, context: .ascii)
        buffer.put("segments", x: 0, y: 0)
        #expect(buffer.text == "segm~")
    }

    @Test func putWithoutEllipsisCutsShort() {
        var buffer = ScreenBuffer(width: 10, height: 1)
        #expect(buffer.put("segments", x: 0, y: 0, maxWidth: 3, ellipsis: false) == 3)
        #expect(buffer.text == "seg")
    }

    @Test func clipsOutsideTheGridWithoutTrapping() {
        var buffer = ScreenBuffer(width: 4, height: 2)
        buffer.put("xyz", x: -2, y: 0)
        buffer.put("nope", x: 0, y: 5)
        buffer.put("nope", x: 9, y: 1)
        buffer.put("ab", x: 3, y: 1, maxWidth: 0)
        #expect(buffer.lines() == ["z", ""])
        #expect(buffer[-1, 0] == .blank())
    }

    @Test func wideCharactersTakeTwoCellsAndAppearOnceInText() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        #expect(buffer.put("日本x", x: 0, y: 0) == 5)
        #expect(buffer[1, 0].isContinuation)
        #expect(buffer[0, 0].displayWidth == 2)
        #expect(buffer.text == "日本x")
    }

    @Test func wideCharacterThatDoesNotFitIsReplacedByTheEllipsis() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        buffer.put("a日本", x: 0, y: 0)
        #expect(buffer.text == "a日…")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.put("日本", x: 0, y: 0)
        buffer.put("x", x: 1, y: 0)  // right half of 日
        buffer.put("y", x: 2, y: 0)  // left half of 本
        #expect(buffer.text == " xy")
        #expect(!buffer[3, 0].isContinuation)
    }

    @Test func combiningMarksStayWithTheirLetter() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        #expect(buffer.put("cafe\u{301}!", x: 0, y: 0) == 5)
        #expect(buffer[3, 0].character == "e\u{301}")
        #expect(buffer[4, 0].character == "!")
    }

    @Test func controlCharactersAreDropped() {
        var buffer = ScreenBuffer(width: 10, height: 1)
        buffer.put("a\tb\nc", x: 0, y: 0)
        #expect(buffer.text == "abc")
    }

    @Test func fillAndClear() {
        var buffer = ScreenBuffer(width: 4, height: 3)
        buffer.fill(Rect(x: 1, y: 1, width: 9, height: 1), with: "#")
        #expect(buffer.lines() == ["", " ###", ""])
        buffer.clear()
        #expect(buffer.text == "\n\n")
    }

    @Test func monochromeDropsColoursButKeepsAttributes() {
        var buffer = ScreenBuffer(width: 4, height: 1, context: .monochrome)
        buffer.put("ab", x: 0, y: 0, style: Style(fg: .red, bg: .blue, bold: true, reverse: true))
        #expect(buffer[0, 0].style == Style(bold: true, reverse: true))
    }

    @Test func setStyleRestylesWithoutChangingText() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        buffer.put("ab", x: 0, y: 0, style: Style(fg: .green))
        buffer.setStyle(Style(reverse: true), in: Rect(x: 0, y: 0, width: 1, height: 1), patch: true)
        #expect(buffer[0, 0].style == Style(fg: .green, reverse: true))
        #expect(buffer[1, 0].style == Style(fg: .green))
        #expect(buffer.text == "ab")
    }

    @Test func styledLineKeepsSpanStylesAndTruncatesAsOne() {
        var buffer = ScreenBuffer(width: 10, height: 2)
        let line = StyledLine([TextSpan("Order ", style: Style(bold: true)), TextSpan("$42.00", style: Style(fg: .green))])
        #expect(buffer.put(line, x: 0, y: 0) == 12 - 2)
        #expect(buffer.lines()[0] == "Order $42…")
        #expect(buffer[0, 0].style.isBold)
        #expect(buffer[6, 0].style.foreground == .green)
        buffer.put(StyledLine("fits"), x: 0, y: 1, width: 10, alignment: .right)
        #expect(buffer.lines()[1] == "      fits")
    }

    @Test func styleMapNamesEachStyleOnce() {
        var buffer = ScreenBuffer(width: 6, height: 2)
        buffer.put("ab", x: 1, y: 0, style: Style(reverse: true))
        buffer.put("c", x: 0, y: 1, style: Style(fg: .red))
        buffer.put("d", x: 3, y: 1, style: Style(reverse: true))
        #expect(buffer.styleMap() == [".aa", "b..a", "a = reverse", "b = fg=red"])
    }

    @Test func resizeBlanksAndChangesSize() {
        var buffer = ScreenBuffer(width: 2, height: 2)
        buffer.put("ab", x: 0, y: 0)
        buffer.resize(width: 3, height: 1)
        #expect(buffer.width == 3 && buffer.height == 1)
        #expect(buffer.text == "")
    }
}
