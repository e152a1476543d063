/// A small line of bars showing a series over time, newest on the right: `▁▂▄▇█▅▃`.
///
/// A series longer than the area is averaged into one bucket per column; a shorter one is drawn from the
/// left, one column per value. Values are scaled between `minimum` (default: 0, or the smallest value if
/// negative) and `maximum` (default: the largest value); the smallest value still shows the lowest glyph,
/// so a flat series stays visible. An area taller than one row stacks levels. Non-finite values are gaps.
public struct Sparkline: Widget {
    /// The series, oldest first.
    public var values: [Double]
    /// The value drawn as the lowest level; nil for min(0, smallest value).
    public var minimum: Double?
    /// The value drawn as the highest level; nil for the largest value.
    public var maximum: Double?
    /// Overrides the theme's sparkline style.
    public var style: Style?

    /// Creates a sparkline.
    public init(values: [Double], minimum: Double? = nil, maximum: Double? = nil, style: Style? = nil) {
        self.values = values
        self.minimum = minimum
        self.maximum = maximum
        self.style = style
    }

    /// `values` averaged into at most `count` buckets, oldest first; non-finite values are skipped, and a
    /// bucket with none left is NaN.
    ///
    /// - Complexity: O(values.count).
    public static func resample(_ values: [Double], to count: Int) -> [Double] {
        guard count > 0 else { return [] }
        guard values.count > count else { return values }
        var result: [Double] = []
        result.reserveCapacity(count)
        for bucket in 0..<count {
            let start = bucket * values.count / count
            let end = (bucket + 1) * values.count / count
            var sum = 0.0, n = 0
            for value in values[start..<end] where value.isFinite {
                sum += value
                n += 1
            }
            result.append(n == 0 ? .nan : sum / Double(n))
        }
        return result
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let levels = buffer.context.glyphs.sparkline
        let style = self.style ?? buffer.context.theme.sparkline
        let samples = Sparkline.resample(values, to: area.width)
        let finite = samples.filter(\.isFinite)
        guard let smallest = finite.min(), let largest = finite.max(), !levels.isEmpty else { return }
        let low = minimum ?? min(0, smallest)
        let high = maximum ?? largest
        let steps = area.height * levels.count

        for (offset, sample) in samples.enumerated() where sample.isFinite {
            let fraction = high > low ? min(max((sample - low) / (high - low), 0), 1) : 0
            let units = 1 + Int((fraction * Double(steps - 1)).rounded())
            for level in 0..<area.height {
                let fill = units - level * levels.count
                guard fill > 0 else { break }
                let glyph = levels[min(fill, levels.count) - 1]
                buffer.put(glyph, x: area.x + offset, y: area.maxY - 1 - level, style: style)
            }
        }
    }
}
