import ForesightUI
@testable import ForesightTerminal
import Glibc
import Testing

extension TerminalTests {
    /// ncurses places characters by glibc's `wcwidth`; `DisplayWidth` must agree with it, or a line with
    /// a wide character would shift everything after it.
    @Test func displayWidthAgreesWithWcwidth() throws {
        #expect(setlocale(LC_ALL, "C.UTF-8") != nil)
        var disagreements: [String] = []
        for value in UInt32(0x20)...0x3FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = Terminal.systemColumnWidth(of: scalar)
            guard expected >= 0 else { continue }  // unassigned or non-printable: never drawn as such
            if DisplayWidth.of(scalar) != expected {
                disagreements.append(String(value, radix: 16, uppercase: true) + ":\(expected)")
            }
        }
        #expect(disagreements.isEmpty, "U+code:wcwidth \(disagreements.prefix(40))")
    }
}
