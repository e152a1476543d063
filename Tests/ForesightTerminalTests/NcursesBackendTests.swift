import ForesightUI
import Glibc
import Testing

@testable import ForesightTerminal

/// Drives the real ncurses backend on a headless screen (`/dev/null` in and out) and reads the screen
/// back. ncurses and the C locale are global to the process, so every test of this target is in this one
/// serialized suite (the other files extend it).
@Suite(.serialized)
struct TerminalTests {
    static let size = Size(width: 40, height: 10)

    func openBackend(
        size: Size = TerminalTests.size, locale: String = "C.UTF-8", colorMode: ColorMode? = .color
    ) throws -> NcursesBackend {
        try NcursesBackend(
            device: .headless(terminalType: "xterm-256color", size: size, locale: locale), colorMode: colorMode)
    }

    func sampleFrame(context: RenderContext) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: TerminalTests.size.width, height: TerminalTests.size.height, context: context)
        Panel(title: "Segments").render(in: Rect(x: 0, y: 0, width: 20, height: 5), into: &buffer)
        buffer.put("顧客 café", x: 2, y: 1)
        buffer.put("selected", x: 2, y: 2, style: Style(fg: .red, reverse: true))
        buffer.put("bold", x: 2, y: 3, style: Style(bold: true))
        buffer.put("bottom-right", x: 28, y: 9)
        return buffer
    }

    @Test func headlessScreenHasTheRequestedSizeAndUnicodeGlyphs() throws {
        let backend = try openBackend()
        defer { backend.close() }
        #expect(backend.size == TerminalTests.size)
        #expect(backend.context.glyphs == .unicode)
        #expect(backend.context.colorMode == .color)
    }

    @Test func drawnFrameReadsBackAsTheBufferText() throws {
        let backend = try openBackend()
        defer { backend.close() }
        let frame = sampleFrame(context: backend.context)
        backend.draw(frame)

        let lines = backend.screenLines()
        #expect(lines == frame.lines())
        #expect(lines[0] == "┌ Segments ────────┐")
        #expect(lines[1] == "│ 顧客 café        │")
        #expect(lines[9].hasSuffix("bottom-right"))
        // 400 cells, less the right halves of the two wide characters.
        #expect(backend.lastDrawCellCount == 398)
    }

    @Test func secondDrawWritesOnlyTheChangedCells() throws {
        let backend = try openBackend()
        defer { backend.close() }
        let first = sampleFrame(context: backend.context)
        backend.draw(first)

        var second = first
        second.put("BOLD", x: 2, y: 3, style: Style(bold: true))
        second.put("中", x: 30, y: 5)
        backend.draw(second)

        #expect(backend.lastDrawCellCount == 4 + 1)
        #expect(backend.screenLines() == second.lines())

        backend.draw(second)
        #expect(backend.lastDrawCellCount == 0)
    }

    @Test func stylesBecomeAttributesAndColourPairs() throws {
        let backend = try openBackend()
        defer { backend.close() }
        backend.draw(sampleFrame(context: backend.context))

        let selected = backend.cellAttributes(x: 2, y: 2)
        #expect(selected.reverse && selected.hasColor && !selected.bold)
        let bold = backend.cellAttributes(x: 2, y: 3)
        #expect(bold.bold && !bold.reverse && !bold.hasColor)
    }

    @Test func monochromeKeepsReverseAndDropsColour() throws {
        let backend = try openBackend(colorMode: .monochrome)
        defer { backend.close() }
        #expect(backend.context.colorMode == .monochrome)
        backend.draw(sampleFrame(context: backend.context))

        let selected = backend.cellAttributes(x: 2, y: 2)
        #expect(selected.reverse && !selected.hasColor)
    }

    @Test func nonUTF8LocaleFallsBackToASCIIGlyphs() throws {
        let backend = try openBackend(locale: "C")
        defer { backend.close() }
        #expect(backend.context.glyphs == .ascii)
        var frame = ScreenBuffer(width: 40, height: 10, context: backend.context)
        Panel(title: "Jobs").render(in: Rect(x: 0, y: 0, width: 12, height: 3), into: &frame)
        backend.draw(frame)
        #expect(backend.screenLines().prefix(3) == ["+ Jobs ----+", "|          |", "+----------+"])
    }

    @Test func resizeRedrawsEveryCell() throws {
        let backend = try openBackend()
        defer { backend.close() }
        backend.draw(sampleFrame(context: backend.context))

        let larger = Size(width: 50, height: 12)
        backend.simulateResize(to: larger)
        #expect(backend.size == larger)
        var frame = ScreenBuffer(width: larger.width, height: larger.height, context: backend.context)
        frame.put("resized", x: 0, y: 11)
        backend.draw(frame)
        #expect(backend.lastDrawCellCount == larger.width * larger.height)
        #expect(backend.screenLines() == frame.lines())
    }

    @Test func closeIsIdempotentAndABackendCanReopen() throws {
        let first = try openBackend()
        first.close()
        first.close()
        let second = try openBackend()
        defer { second.close() }
        second.draw(sampleFrame(context: second.context))
        #expect(second.screenLines()[0].hasPrefix("┌ Segments"))
    }

    @Test func unknownTerminalTypeThrowsInsteadOfExiting() {
        #expect(throws: TerminalError.unknownTerminal("no-such-terminal-xyz")) {
            try NcursesBackend(device: .headless(terminalType: "no-such-terminal-xyz", size: TerminalTests.size))
        }
    }
}
