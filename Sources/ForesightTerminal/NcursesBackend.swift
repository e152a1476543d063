import CNcursesw
import ForesightUI
import Glibc

/// The terminal backend on ncurses: shows `ScreenBuffer` frames and reads keys.
///
/// It owns every ncurses pointer of the process and is not `Sendable`: create it, draw with it and close
/// it on one thread. Only one may be open at a time (ncurses state is global to a process).
///
/// Starting it adopts the user's locale (ASCII glyphs unless the encoding is UTF-8), opens the terminal
/// with `newterm` (never `initscr`, which exits the process when there is no terminal), switches to
/// cbreak, no-echo, keypad mode with a hidden cursor, and turns colours on when the terminal has them and
/// `NO_COLOR` is not set. `close()` (or deinit) restores the terminal with `endwin`; SIGINT and SIGTERM
/// only request a stop (see `TerminalSignals`), so the loop can return and close normally.
public final class NcursesBackend: TerminalBackend {
    /// Glyphs and colour mode chosen for this terminal.
    public let context: RenderContext
    /// Cells written to ncurses by the last `draw` (all of them after a resize, only changes otherwise).
    public private(set) var lastDrawCellCount = 0

    private let screen: OpaquePointer
    let window: UnsafeMutablePointer<WINDOW>
    private let output: UnsafeMutablePointer<FILE>
    private let input: UnsafeMutablePointer<FILE>
    private let handlesSignals: Bool
    private var palette: ColorPalette
    private var previous: ScreenBuffer?
    private var needsFullRedraw = true
    private var isOpen = true

    /// Opens the terminal.
    ///
    /// - Parameters:
    ///   - device: the process's terminal, or a headless one for tests.
    ///   - colorMode: forces a colour mode; nil for colours unless `NO_COLOR` is set or the terminal has none.
    /// - Throws: `TerminalError` when there is no terminal or ncurses cannot drive it.
    public init(device: TerminalDevice = .standardStreams, colorMode: ColorMode? = nil) throws {
        var locale = ""
        if case .headless(_, _, let name) = device { locale = name }
        let isUTF8 = Terminal.adoptLocale(locale)
        let streams = try NcursesBackend.openStreams(for: device)
        handlesSignals = device == .standardStreams
        if handlesSignals { TerminalSignals.install(terminal: STDOUT_FILENO) }

        var terminalType: String?
        if case .headless(let type, _, _) = device { terminalType = type }
        let opened: OpaquePointer? = terminalType.map { type in
            type.withCString { newterm($0, streams.output, streams.input) }
        } ?? newterm(nil, streams.output, streams.input)
        guard let screen = opened, let window = foresight_stdscr() else {
            fclose(streams.output)
            fclose(streams.input)
            if handlesSignals { TerminalSignals.uninstall() }
            throw TerminalError.unknownTerminal(terminalType ?? NcursesBackend.environmentTerm())
        }
        self.screen = screen
        self.window = window
        self.output = streams.output
        self.input = streams.input

        _ = set_escdelay(25)
        _ = cbreak()
        _ = noecho()
        _ = nonl()
        _ = intrflush(window, false)
        _ = keypad(window, true)
        _ = leaveok(window, true)
        _ = curs_set(0)
        wtimeout(window, 100)
        if case .headless(_, let size, _) = device {
            _ = resizeterm(Int32(size.height), Int32(size.width))
            _ = flushinp()  // resizeterm queues a KEY_RESIZE; a fresh screen has nothing to report.
        }

        var mode = colorMode ?? NcursesBackend.colorModeFromEnvironment()
        if mode == .color, has_colors() {
            _ = start_color()
            _ = use_default_colors()
        } else {
            mode = .monochrome
        }
        palette = ColorPalette(isEnabled: mode == .color, colorCount: Int(foresight_colors()),
                               pairLimit: Int(foresight_color_pairs()))
        context = RenderContext(glyphs: isUTF8 ? .unicode : .ascii, colorMode: mode)
    }

    deinit { close() }

    /// Restores the terminal (`endwin`) and releases ncurses. Safe to call more than once.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        _ = endwin()
        delscreen(screen)
        fclose(output)
        fclose(input)
        if handlesSignals { TerminalSignals.uninstall() }
    }

    /// The screen's size now.
    public var size: Size {
        Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    /// Shows `buffer`: writes the cells that differ from the previous frame (every cell after a resize or
    /// a size change), then lets ncurses send the difference to the terminal. Cells beyond the screen are
    /// skipped.
    ///
    /// - Complexity: O(width × height) comparisons, plus O(changed cells) ncurses calls.
    public func draw(_ buffer: ScreenBuffer) {
        guard isOpen else { return }
        let screenSize = size
        let runs: [ChangedRun]
        if needsFullRedraw || previous == nil {
            runs = (0..<buffer.height).map { ChangedRun(y: $0, x: 0, count: buffer.width) }
            if previous != nil { _ = clearok(window, true) }
        } else if let previous {
            runs = buffer.diff(from: previous)
        } else {
            runs = []
        }
        var written = 0
        for run in runs where run.y < screenSize.height && run.x < screenSize.width {
            _ = wmove(window, Int32(run.y), Int32(run.x))
            buffer.forEachCell(in: run) { x, cell in
                guard x + cell.displayWidth <= screenSize.width else { return }
                write(cell)
                written += 1
            }
        }
        _ = wnoutrefresh(window)
        _ = doupdate()
        previous = buffer
        needsFullRedraw = false
        lastDrawCellCount = written
    }

    /// Makes the next `draw` rewrite every cell and repaint the whole terminal (after a resize, or when
    /// something else wrote to the terminal).
    public func invalidate() { needsFullRedraw = true }

    /// Writes one cell at the cursor, which then moves past it.
    private func write(_ cell: Cell) {
        let (attributes, pair) = palette.attributes(for: cell.style)
        var wide: (wchar_t, wchar_t, wchar_t, wchar_t, wchar_t, wchar_t) = (0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &wide) { raw in
            let characters = raw.bindMemory(to: wchar_t.self)
            var count = 0
            for scalar in cell.character.unicodeScalars {
                // The first scalar, then combining ones, as setcchar wants; up to CCHARW_MAX in all.
                if count == 0 || (count < Int(CCHARW_MAX) && DisplayWidth.of(scalar) == 0) {
                    characters[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
            }
            characters[count] = 0
            var value = cchar_t()
            _ = setcchar(&value, characters.baseAddress, attributes, pair, nil)
            _ = wadd_wch(window, &value)
        }
    }

    static func environmentTerm() -> String {
        guard let value = getenv("TERM") else { return "(TERM not set)" }
        return String(cString: value)
    }

    static func colorModeFromEnvironment() -> ColorMode {
        guard let value = getenv("NO_COLOR"), value.pointee != 0 else { return .color }
        return .monochrome
    }

    private static func openStreams(
        for device: TerminalDevice
    ) throws -> (output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>) {
        switch device {
        case .standardStreams:
            guard Terminal.isInteractive() else { throw TerminalError.notInteractive }
            // Duplicates, so that closing ncurses' streams leaves the process's own descriptors open.
            guard let output = fdopen(dup(STDOUT_FILENO), "w") else { throw TerminalError.cannotOpen("standard output") }
            guard let input = fdopen(dup(STDIN_FILENO), "r") else {
                fclose(output)
                throw TerminalError.cannotOpen("standard input")
            }
            return (output, input)
        case .headless:
            guard let output = fopen("/dev/null", "w") else { throw TerminalError.cannotOpen("/dev/null") }
            guard let input = fopen("/dev/null", "r") else {
                fclose(output)
                throw TerminalError.cannotOpen("/dev/null")
            }
            return (output, input)
        }
    }
}
