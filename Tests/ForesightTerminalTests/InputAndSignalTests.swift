import ForesightUI
import Glibc
import Testing

@testable import ForesightTerminal

extension TerminalTests {
    /// Codes as `ncurses.h` defines them (KEY_UP 0403, KEY_NPAGE 0522, ...).
    @Test func functionKeyCodesMapToKeys() {
        #expect(NcursesBackend.key(forKeyCode: 0o403) == .up)
        #expect(NcursesBackend.key(forKeyCode: 0o522) == .pageDown)
        #expect(NcursesBackend.key(forKeyCode: 0o541) == .backTab)
        #expect(NcursesBackend.key(forKeyCode: 0o632) == .resize)
        #expect(NcursesBackend.key(forKeyCode: 0o410 + 5) == .function(5))
        #expect(NcursesBackend.key(forKeyCode: 0o631) == nil)  // KEY_MOUSE: not used
    }

    @Test func characterCodesMapToKeys() {
        #expect(NcursesBackend.key(forCharacter: 0x71) == .char("q"))
        #expect(NcursesBackend.key(forCharacter: 0xE9) == .char("é"))
        #expect(NcursesBackend.key(forCharacter: 0x03) == .interrupt)
        #expect(NcursesBackend.key(forCharacter: 0x1B) == .escape)
        #expect(NcursesBackend.key(forCharacter: 0x0D) == .enter)
        #expect(NcursesBackend.key(forCharacter: 0x09) == .tab)
        #expect(NcursesBackend.key(forCharacter: 0x7F) == .backspace)
        #expect(NcursesBackend.key(forCharacter: 0x0C) == .ctrl("l"))
    }

    @Test func readKeyWithoutInputReturnsNil() throws {
        let backend = try openBackend()
        defer { backend.close() }
        #expect(backend.readKey(timeoutMilliseconds: 0) == nil)
    }

    @Test func pendingStopMakesReadKeyReturnInterrupt() throws {
        let backend = try openBackend()
        defer {
            backend.close()
            TerminalSignals.reset()
        }
        TerminalSignals.requestStop()
        #expect(backend.readKey(timeoutMilliseconds: 0) == .interrupt)
        TerminalSignals.reset()
        #expect(backend.readKey(timeoutMilliseconds: 0) == nil)
    }

    /// Raises one real SIGINT with the handlers installed: it must set the flag, not end the process.
    @Test func sigintSetsTheStopFlag() {
        var pipeEnds: [Int32] = [0, 0]
        #expect(pipe(&pipeEnds) == 0)
        defer {
            close(pipeEnds[0])
            close(pipeEnds[1])
        }
        TerminalSignals.install(terminal: pipeEnds[1])
        defer {
            TerminalSignals.uninstall()
            TerminalSignals.reset()
        }
        #expect(!TerminalSignals.stopRequested)
        // To the process, not this thread: test worker threads block SIGINT, the main thread takes it.
        kill(getpid(), SIGINT)
        for _ in 0..<1_000 where !TerminalSignals.stopRequested { usleep(1_000) }
        #expect(TerminalSignals.stopRequested)
    }

    @Test func nonInteractiveStandardStreamsThrow() {
        // `swift test` runs without a terminal on standard input.
        guard !Terminal.isInteractive() else { return }
        #expect(throws: TerminalError.notInteractive) { try NcursesBackend(device: .standardStreams) }
    }
}
