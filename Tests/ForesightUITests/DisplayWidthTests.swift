import ForesightUI
import Testing

struct DisplayWidthTests {
    @Test func asciiIsOneColumnAndControlsNone() {
        #expect("Customers".displayWidth == 9)
        #expect(DisplayWidth.of("\t" as Character) == 0)
        #expect(DisplayWidth.of("\u{7F}" as Unicode.Scalar) == 0)
    }

    @Test func eastAsianWideAndFullwidthAreTwoColumns() {
        #expect("日本語".displayWidth == 6)
        #expect("한국".displayWidth == 4)
        #expect("ＡＢ".displayWidth == 4)
        #expect(DisplayWidth.of("🙂" as Character) == 2)
    }

    @Test func combiningAndFormatCharactersAreZeroWidth() {
        #expect("e\u{301}".displayWidth == 1)
        #expect(DisplayWidth.of("\u{301}" as Unicode.Scalar) == 0)
        #expect(DisplayWidth.of("\u{200B}" as Unicode.Scalar) == 0)
        #expect("a\u{200D}b".displayWidth == 2)
    }

    @Test func boxDrawingAndBlocksAreNarrow() {
        for glyph in "─│┌┐└┘├┤┬┴▁▂▃▄▅▆▇█▏▎▍▌▋▊▉░↑↓→▲▼…▶•" {
            #expect(DisplayWidth.of(glyph) == 1, "\(glyph)")
        }
        #expect("Zoë Łódź".displayWidth == 8)
    }

    @Test func prefixByColumnsNeverSplitsAWideCharacter() {
        #expect("Customers".prefix(columns: 4) == "Cust")
        #expect("日本語".prefix(columns: 3) == "日")
        #expect("abc".prefix(columns: 10) == "abc")
        #expect("abc".prefix(columns: 0) == "")
    }

    @Test func glyphSetsHoldOnlySingleColumnGlyphs() {
        for set in [GlyphSet.unicode, .ascii] {
            let singles: [Character] = [
                set.horizontal, set.vertical, set.topLeft, set.topRight, set.bottomLeft, set.bottomRight,
                set.barFull, set.barTrack, set.arrowUp, set.arrowDown, set.arrowFlat, set.ellipsis, set.pointer,
            ]
            for glyph in singles + set.sparkline + set.barPartials { #expect(DisplayWidth.of(glyph) == 1) }
        }
        #expect(GlyphSet.ascii.sparkline.allSatisfy { $0.isASCII })
        #expect(GlyphSet.ascii.isASCII && !GlyphSet.unicode.isASCII)
    }

    @Test func barGlyphsCountEighths() {
        #expect(GlyphSet.unicode.bar(eighths: 19) == (2, "▍"))
        #expect(GlyphSet.unicode.bar(eighths: 16) == (2, nil))
        #expect(GlyphSet.ascii.bar(eighths: 19) == (2, nil))
        #expect(GlyphSet.ascii.bar(eighths: 20) == (3, nil))
    }

    @Test func noColorEnvironment() {
        #expect(ColorMode.from(environment: ["NO_COLOR": "1"]) == .monochrome)
        #expect(ColorMode.from(environment: ["NO_COLOR": ""]) == .color)
        #expect(ColorMode.from(environment: [:]) == .color)
    }

    @Test func keyForControlCodes() {
        #expect(Key.control(0x03) == .interrupt)
        #expect(Key.control(0x0D) == .enter)
        #expect(Key.control(0x01) == .ctrl("a"))
        #expect(Key.control(0x1C) == nil)
    }
}
