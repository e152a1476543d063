import CNcursesw
import Glibc

/// Facts about the process's terminal, checked before starting the dashboard.
public enum Terminal {
    /// Whether both standard input and standard output are terminals, so a full-screen dashboard can run.
    ///
    /// When this is false, say so and point to the headless commands instead of starting ncurses (which
    /// cannot read keys from a pipe, and whose `initscr` would exit the process from C).
    public static func isInteractive() -> Bool {
        isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    /// Whether the locale's character encoding is UTF-8, after adopting the locale `name` (by default the
    /// user's, from `LC_ALL`, `LC_CTYPE` and `LANG`). Without UTF-8, box drawing and non-ASCII text would be
    /// garbled, so the backend draws with ASCII glyphs.
    public static func adoptLocale(_ name: String = "") -> Bool {
        _ = setlocale(LC_ALL, name)
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}

extension Terminal {
    /// The columns the C library (and so ncurses) gives `scalar` in the current locale; -1 for a
    /// character it considers not printable. For checking `DisplayWidth` against the platform.
    static func systemColumnWidth(of scalar: Unicode.Scalar) -> Int {
        Int(foresight_wcwidth(wchar_t(bitPattern: scalar.value)))
    }
}
