/// The row of view tabs at the top of the dashboard: each tab shows its number key and title, the active
/// one highlighted, and an optional status text on the right.
///
/// ```
///  1 Overview  2 Customers  3 Segments  4 Journeys …                    ● LIVE
/// ```
/// When the titles do not fit (seven tabs at 80 columns), the bar uses each tab's short title, then cuts
/// the inactive titles shorter and shorter, and at last shows the number keys alone; the status text is
/// dropped before the keys are.
public struct TabBar: Widget {
    /// One tab.
    public struct Tab: Hashable, Sendable {
        /// The full title (`Customers`).
        public var title: String
        /// A shorter title for narrow screens (`Cust`); nil to cut the full one.
        public var shortTitle: String?
        /// The key that selects the tab; nil for its position (1-based).
        public var key: String?

        /// Creates a tab.
        public init(_ title: String, shortTitle: String? = nil, key: String? = nil) {
            self.title = title
            self.shortTitle = shortTitle
            self.key = key
        }
    }

    /// The tabs, left to right.
    public var tabs: [Tab]
    /// The index of the active tab.
    public var activeIndex: Int
    /// Text at the right end (live/paused state, clock).
    public var status: StyledLine?

    /// Creates a tab bar.
    public init(tabs: [Tab], activeIndex: Int, status: StyledLine? = nil) {
        self.tabs = tabs
        self.activeIndex = activeIndex
        self.status = status
    }

    /// The titles the bar shows in `width` columns (empty for a key alone); nil if even the bare
    /// keys do not fit.
    func titles(fitting width: Int) -> [String]? {
        let full = tabs.map(\.title)
        if fits(full, width) { return full }
        let short = tabs.map { $0.shortTitle ?? $0.title }
        if fits(short, width) { return short }
        let longest = short.map(\.displayWidth).max() ?? 0
        for limit in stride(from: longest - 1, through: 3, by: -1) {
            let cut = short.enumerated().map { index, title in
                index == activeIndex ? title : title.prefix(columns: limit)
            }
            if fits(cut, width) { return cut }
        }
        let bare = short.enumerated().map { index, title in index == activeIndex ? title : "" }
        if fits(bare, width) { return bare }
        let keysOnly = Array(repeating: "", count: tabs.count)
        return fits(keysOnly, width) ? keysOnly : nil
    }

    public func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let area = area.intersection(buffer.area)
        guard area.height >= 1, area.width >= 1 else { return }
        let theme = buffer.context.theme
        let row = area.y
        let statusWidth = status.map { $0.displayWidth + 1 } ?? 0
        var titles = titles(fitting: area.width - statusWidth)
        var showsStatus = status != nil && titles != nil
        if titles == nil {
            titles = self.titles(fitting: area.width)
            showsStatus = false
        }
        let shown = titles ?? Array(repeating: "", count: tabs.count)

        var column = area.x
        for (index, title) in shown.enumerated() {
            let isActive = index == activeIndex
            let key = key(at: index)
            let block = title.isEmpty ? " \(key) " : " \(key) \(title) "
            let room = area.maxX - column
            guard room > 0 else { break }
            if isActive {
                column += buffer.put(block, x: column, y: row, style: theme.activeTab, maxWidth: room)
            } else {
                buffer.put(" ", x: column, y: row)
                buffer.put(key, x: column + 1, y: row, style: theme.accent, maxWidth: room - 1)
                buffer.put(String(block.dropFirst(1 + key.count)), x: column + 1 + key.displayWidth, y: row,
                           style: theme.text, maxWidth: room - 1 - key.displayWidth)
                column += min(block.displayWidth, room)
            }
        }
        if showsStatus, let status {
            buffer.put(status, x: area.x, y: row, width: area.width, alignment: .right)
        }
    }

    private func key(at index: Int) -> String { tabs[index].key ?? String(index + 1) }

    private func fits(_ titles: [String], _ width: Int) -> Bool {
        var total = 0
        for (index, title) in titles.enumerated() {
            total += key(at: index).displayWidth + 2 + (title.isEmpty ? 0 : title.displayWidth + 1)
        }
        return total <= width
    }
}
