/// A vertical scroll indicator: a track with a thumb whose size and position show which part of a long
/// list is visible. Draws nothing when everything is visible.
public struct Scrollbar: Widget {
    /// Index of the first visible item.
    public var offset: Int
    /// Number of visible items.
    public var visibleCount: Int
    /// Number of items in all.
    public var totalCount: Int

    /// Creates a scroll indicator.
    public init(offset: Int, visibleCount: Int, totalCount: Int) {
        self.offset = offset
        self.visibleCount = visibleCount
        self.totalCount = totalCount
    }

    /// Whether the list is longer than what is shown, so the indicator is drawn.
    public var isNeeded: Bool { totalCount > visibleCount && visibleCount > 0 }

    /// The thumb's first row and row count within a track of `height` rows.
    public func thumb(height: Int) -> (start: Int, length: Int) {
        guard isNeeded, height > 0 else { return (0, height) }
        let length = min(height, max(1, height * visibleCount / totalCount))
        let scrollable = totalCount - visibleCount
        let clamped = min(max(0, offset), scrollable)
        let start = scrollable == 0 ? 0 : ((height - length) * clamped + scrollable / 2) / scrollable
        return (start, length)
    }

    /// Draws in the first column of `area`.
    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        guard isNeeded, !area.isEmpty else { return }
        let glyphs = buffer.context.glyphs
        let theme = buffer.context.theme
        let (start, length) = thumb(height: area.height)
        for row in 0..<area.height {
            let inThumb = row >= start && row < start + length
            buffer.put(inThumb ? glyphs.scrollThumb : glyphs.scrollTrack, x: area.x, y: area.y + row,
                       style: inThumb ? theme.accent : theme.border)
        }
    }
}

/// Scrolling arithmetic shared by lists and tables.
public enum Scrolling {
    /// The first visible index after moving the selection: unchanged while `selected` stays in view,
    /// otherwise the least scrolling that brings it back, never past the end of the list.
    ///
    /// - Parameters:
    ///   - selected: the selected index (clamped to the list).
    ///   - offset: the current first visible index.
    ///   - visibleCount: how many items fit.
    ///   - totalCount: how many items there are.
    public static func offset(keeping selected: Int, visible offset: Int, visibleCount: Int, totalCount: Int) -> Int {
        guard visibleCount > 0, totalCount > visibleCount else { return 0 }
        let selected = min(max(0, selected), totalCount - 1)
        var offset = min(max(0, offset), totalCount - visibleCount)
        if selected < offset { offset = selected }
        if selected >= offset + visibleCount { offset = selected - visibleCount + 1 }
        return offset
    }
}
