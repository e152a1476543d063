/// A terminal size in cells.
public struct Size: Hashable, Sendable, CustomStringConvertible {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// Creates a size.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Whether this size is at least `other` in both directions.
    public func covers(_ other: Size) -> Bool { width >= other.width && height >= other.height }

    public var description: String { "\(width)x\(height)" }
}

/// What a dashboard loop needs from a terminal: its size and look, a way to show a frame, and key presses.
///
/// The ncurses backend (ForesightTerminal) implements it for real terminals; a test backend can record
/// frames and replay keys. A backend belongs to the thread that created it.
public protocol TerminalBackend: AnyObject {
    /// The current size of the screen.
    var size: Size { get }
    /// Glyphs and colour mode that suit this terminal; build frames with it.
    var context: RenderContext { get }
    /// Shows `buffer`, writing only what changed since the previous frame.
    func draw(_ buffer: ScreenBuffer)
    /// Waits up to `timeoutMilliseconds` for a key; nil when none came.
    func readKey(timeoutMilliseconds: Int) -> Key?
}
