import CNcursesw
import ForesightUI
import Glibc

extension NcursesBackend {
    /// Waits up to `timeoutMilliseconds` for a key press and returns it; nil when none came.
    ///
    /// Returns `.interrupt` while a SIGINT or SIGTERM is pending, and `.resize` after the terminal changed
    /// size (the next `draw` then repaints everything). A lone Esc arrives after ncurses' short escape delay
    /// (25 ms). A negative timeout waits until a key comes.
    public func readKey(timeoutMilliseconds: Int) -> Key? {
        if TerminalSignals.stopRequested { return .interrupt }
        wtimeout(window, Int32(clamping: max(-1, timeoutMilliseconds)))
        var code: wint_t = 0
        let status = wget_wch(window, &code)
        if TerminalSignals.stopRequested { return .interrupt }
        switch status {
        case KEY_CODE_YES:
            let key = NcursesBackend.key(forKeyCode: Int32(bitPattern: code))
            if key == .resize { invalidate() }
            return key
        case OK:
            return NcursesBackend.key(forCharacter: UInt32(code))
        default:
            return nil
        }
    }

    /// The key for a character code from `wget_wch` (control codes included).
    static func key(forCharacter code: UInt32) -> Key? {
        if code < 0x20 || code == 0x7F { return Key.control(UInt8(code)) }
        guard let scalar = Unicode.Scalar(code) else { return nil }
        return .char(Character(scalar))
    }

    /// The key for a function-key code (`KEY_*`) from `wget_wch`.
    static func key(forKeyCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case (KEY_F0 + 1)...(KEY_F0 + 63): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }
}
