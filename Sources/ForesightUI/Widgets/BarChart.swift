/// Horizontal bars, one row each: label, bar, value and an optional percentage.
///
/// ```
/// Email    ████████████▌      1,204  41.2%
/// Web      ███████▏             688  23.5%
/// ```
/// Bars are scaled to `maximum` (default: the largest value), in eighths of a cell with Unicode glyphs and
/// whole cells with ASCII. A positive value always shows at least a sliver. Rows past the area are cut.
public struct BarChart: Widget {
    /// One row.
    public struct Bar: Hashable, Sendable {
        /// What the bar counts.
        public var label: String
        /// Its length.
        public var value: Double
        /// The value as shown; nil for `Format.compact(value)`.
        public var valueText: String?
        /// A share in 0...1 shown after the value, if given.
        public var share: Double?
        /// Overrides the theme's bar style.
        public var style: Style?

        /// Creates a bar.
        public init(_ label: String, value: Double, valueText: String? = nil, share: Double? = nil, style: Style? = nil) {
            self.label = label
            self.value = value
            self.valueText = valueText
            self.share = share
            self.style = style
        }
    }

    /// The rows, top to bottom.
    public var bars: [Bar]
    /// The value of a full-width bar; nil for the largest value.
    public var maximum: Double?
    /// Index of a bar to highlight (the selection), if any.
    public var selectedIndex: Int?

    /// Creates a chart.
    public init(bars: [Bar], maximum: Double? = nil, selectedIndex: Int? = nil) {
        self.bars = bars
        self.maximum = maximum
        self.selectedIndex = selectedIndex
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty, !bars.isEmpty else { return }
        let theme = buffer.context.theme
        let glyphs = buffer.context.glyphs
        let values = bars.map { $0.valueText ?? Format.compact($0.value) }
        let shares = bars.map { $0.share.map { Format.percent($0, places: 1) } }
        let valueWidth = values.map(\.displayWidth).max() ?? 0
        var shareWidth = shares.compactMap { $0?.displayWidth }.max() ?? 0
        var labelWidth = min(bars.map(\.label.displayWidth).max() ?? 0, max(4, area.width / 3))
        // Give up the percentage, then label width, before the bar shrinks below a quarter of the row.
        if area.width - labelWidth - valueWidth - shareWidth - 3 < area.width / 4 { shareWidth = 0 }
        let fixed = valueWidth + (shareWidth > 0 ? shareWidth + 1 : 0) + 2
        labelWidth = max(0, min(labelWidth, area.width - fixed - area.width / 4))
        let barWidth = max(0, area.width - labelWidth - fixed)
        let top = maximum ?? bars.map(\.value).filter(\.isFinite).max() ?? 0

        for (index, bar) in bars.prefix(area.height).enumerated() {
            let row = area.y + index
            let isSelected = index == selectedIndex
            let base = isSelected ? theme.selection : .plain
            if isSelected { buffer.fill(area.row(index), style: base) }
            buffer.put(bar.label, x: area.x, y: row, style: base.patched(with: theme.text), maxWidth: labelWidth)

            let barStyle = base.patched(with: bar.style ?? theme.bar)
            let fraction = top > 0 && bar.value.isFinite ? min(max(bar.value / top, 0), 1) : 0
            var eighths = Int((fraction * Double(barWidth * 8)).rounded())
            if bar.value > 0, eighths == 0, barWidth > 0 { eighths = 1 }
            var (full, partial) = glyphs.bar(eighths: eighths)
            if eighths > 0, full == 0, partial == nil { full = 1 }
            let barX = area.x + labelWidth + 1
            buffer.fill(Rect(x: barX, y: row, width: min(full, barWidth), height: 1), with: glyphs.barFull, style: barStyle)
            if let partial, full < barWidth { buffer.put(partial, x: barX + full, y: row, style: barStyle) }

            let valueX = barX + barWidth + 1
            buffer.put(values[index], x: valueX, y: row, width: valueWidth, alignment: .right, style: base)
            if shareWidth > 0, let share = shares[index] {
                buffer.put(share, x: valueX + valueWidth + 1, y: row, width: shareWidth, alignment: .right,
                           style: base.patched(with: theme.muted))
            }
        }
    }
}
