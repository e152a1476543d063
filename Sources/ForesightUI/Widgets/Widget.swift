/// Something that draws itself into a rectangle of a screen buffer.
///
/// Widgets are plain values built fresh for each frame from the dashboard state; they keep no state of
/// their own, clip to the rectangle they are given, and draw nothing when it is too small. They take their
/// glyphs, colour mode and theme from `buffer.context`.
public protocol Widget {
    /// Draws into `area` of `buffer`.
    func render(in area: Rect, into buffer: inout ScreenBuffer)
}

extension ScreenBuffer {
    /// Draws `widget` into `area`; reads well at call sites: `buffer.render(panel, in: area)`.
    public mutating func render(_ widget: some Widget, in area: Rect) {
        widget.render(in: area, into: &self)
    }
}
