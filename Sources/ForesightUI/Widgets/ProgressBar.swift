/// A one-row progress bar with a label and a percentage, for replaying a log:
///
/// ```
/// Replaying  ██████████████▌░░░░░░░░░  62%
/// ```
public struct ProgressBar: Widget {
    /// Done so far, in 0...1 (values outside are clamped, NaN counts as 0).
    public var fraction: Double
    /// Text before the bar.
    public var label: String?
    /// Whether to show the percentage after the bar.
    public var showsPercentage: Bool

    /// Creates a progress bar.
    public init(fraction: Double, label: String? = nil, showsPercentage: Bool = true) {
        self.fraction = fraction
        self.label = label
        self.showsPercentage = showsPercentage
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let theme = buffer.context.theme
        let glyphs = buffer.context.glyphs
        let done = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let row = area.y
        buffer.fill(area.row(0))

        var left = area.x
        if let label, !label.isEmpty {
            left += buffer.put(label, x: left, y: row, style: theme.text, maxWidth: area.width / 2)
            left += 2
        }
        var right = area.maxX
        if showsPercentage {
            let text = String(Int((done * 100).rounded(.down))) + "%"
            right -= 4
            buffer.put(text, x: right, y: row, width: 4, alignment: .right, style: theme.title)
            right -= 1
        }
        let barWidth = right - left
        guard barWidth > 0 else { return }
        let (full, partial) = glyphs.bar(eighths: Int((done * Double(barWidth * 8)).rounded(.down)))
        let filled = min(full, barWidth)
        buffer.fill(Rect(x: left, y: row, width: filled, height: 1), with: glyphs.barFull, style: theme.bar)
        var trackStart = left + filled
        if let partial, filled < barWidth {
            buffer.put(partial, x: trackStart, y: row, style: theme.bar)
            trackStart += 1
        }
        buffer.fill(Rect(x: trackStart, y: row, width: left + barWidth - trackStart, height: 1),
                    with: glyphs.barTrack, style: theme.muted)
    }
}
