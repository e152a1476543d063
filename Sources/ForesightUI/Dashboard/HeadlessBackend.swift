import Glibc

/// A backend without a terminal: it keeps the last frame and hands out queued keys. Tests and benchmarks
/// drive the real ``DashboardRuntime`` with it.
public final class HeadlessBackend: TerminalBackend {
    public var size: Size
    public let context: RenderContext
    /// Keys `readKey` returns, first in first out.
    public var pendingKeys: [Key] = []
    public private(set) var lastFrame: ScreenBuffer?
    public private(set) var framesDrawn = 0
    /// Cells changed by the last frame (what a real backend would have written).
    public private(set) var lastChangedCells = 0
    /// When true, `readKey` without a queued key sleeps for its timeout, as a terminal would.
    public var waitsLikeATerminal = false

    public init(size: Size, context: RenderContext = .standard) {
        self.size = size
        self.context = context
    }

    public func draw(_ buffer: ScreenBuffer) {
        if let previous = lastFrame, previous.width == buffer.width, previous.height == buffer.height {
            lastChangedCells = buffer.changedCellCount(from: previous)
        } else {
            lastChangedCells = buffer.width * buffer.height
        }
        lastFrame = buffer
        framesDrawn += 1
    }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        if pendingKeys.isEmpty {
            if waitsLikeATerminal { usleep(UInt32(max(0, timeoutMilliseconds)) * 1000) }
            return nil
        }
        return pendingKeys.removeFirst()
    }

    /// The last frame as text lines.
    public var screenText: String { lastFrame?.lines().joined(separator: "\n") ?? "" }
}
