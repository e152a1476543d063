/// A key press (or terminal event) as the dashboard sees it, independent of the backend.
public enum Key: Hashable, Sendable {
    /// A printable character, as typed (`q`, `Q`, `/`, `é`).
    case char(Character)
    /// Control plus a letter, given in lower case (`.ctrl("l")` for Ctrl-L).
    case ctrl(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, insert
    /// Function key F`n`.
    case function(Int)
    /// The terminal changed size; read the new size from the backend.
    case resize
    /// Ctrl-C, SIGINT or SIGTERM: the user wants out.
    case interrupt

    /// The key for a control code 0x01–0x1F other than those with names of their own.
    public static func control(_ code: UInt8) -> Key? {
        switch code {
        case 0x03: return .interrupt
        case 0x08, 0x7F: return .backspace
        case 0x09: return .tab
        case 0x0A, 0x0D: return .enter
        case 0x1B: return .escape
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(code + 0x60)))
        default: return nil
        }
    }
}
