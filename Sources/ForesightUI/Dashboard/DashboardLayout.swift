/// Row counts of the scrollable lists for a terminal size; the views and the reducer share them so that
/// a page key moves by exactly what is on screen.
public enum DashboardLayout {
    /// Tab bar on top, status bar at the bottom.
    static let chromeRows = 2

    /// Customers table body rows: panel border (2), table header (1), info line (1).
    public static func customerRows(_ size: Size) -> Int { max(1, size.height - chromeRows - 4) }

    /// Timeline rows on the customer detail screen, below the profile and score panels: all but the panel border
    /// and the stage swimlane.
    public static func timelineRows(_ size: Size, messageRows: Int = 0) -> Int {
        max(1, size.height - chromeRows - profileHeight(size) - scoresHeight(size) - 3 - messageRows)
    }

    /// Rows the customer screen gives to `count` campaign messages below the timeline: none when wide (they
    /// sit beside it) or without messages; else a panel of up to 2 lines (6 when tall).
    public static func messageRows(_ size: Size, count: Int) -> Int {
        guard count > 0, size.width < wideWidth else { return 0 }
        return min(count, size.height >= 40 ? 6 : 2) + 2
    }

    /// The width from which the views lay panels side by side.
    public static let wideWidth = 120

    /// Lines of a Campaigns feed on screen (a page for PgUp/PgDn): the feed panels share what the triggers
    /// panel (two lines per trigger, at most half the screen) and the guards line leave.
    public static func campaignFeedRows(_ size: Size, triggers: Int) -> Int {
        let body = size.height - chromeRows
        return max(1, body - campaignTriggersHeight(size, triggers: triggers) - 1 - 2)
    }

    /// Height of the Campaigns view's triggers panel: border, header, two lines per trigger, at most half the body.
    public static func campaignTriggersHeight(_ size: Size, triggers: Int) -> Int {
        let body = size.height - chromeRows
        return min(3 + 2 * max(1, triggers), body / 2 + 2)
    }

    /// Rows of the segments table: panel border (2), header (1), the definition line (1).
    public static func segmentRows(_ size: Size) -> Int { max(1, size.height - chromeRows - 4) }

    /// Height of the scores block (risk, reasons, next products) between the profile and the timeline.
    public static func scoresHeight(_ size: Size) -> Int { size.height >= 40 ? 7 : 5 }

    /// Height of the profile block above the timeline.
    public static func profileHeight(_ size: Size) -> Int { size.height >= 40 ? 12 : 8 }

    /// Rejected lines shown on the rejects screen (two rows each: message and text), inside the panel border.
    public static func rejectRows(_ size: Size) -> Int { max(1, (size.height - chromeRows - 2) / 2) }

    /// Rows of the Overview's live tail: panel border (2) and table header (1) taken.
    public static func tailRows(_ size: Size) -> Int {
        max(1, size.height - chromeRows - overviewTopHeight(size) - 3)
    }

    /// Height of the Overview's tiles and charts above the live tail.
    public static func overviewTopHeight(_ size: Size) -> Int {
        tileRows(size) + chartRows(size) + progressRows
    }

    /// KPI tiles: one row of six bordered tiles when wide; two rows of three, bordered when tall enough.
    public static func tileRows(_ size: Size) -> Int { size.width >= 120 ? 4 : (size.height >= 40 ? 8 : 4) }

    /// The charts row of the Overview.
    public static func chartRows(_ size: Size) -> Int { size.height >= 40 ? 16 : 7 }

    /// A line for the replay progress bar (kept even when live, so the layout does not jump).
    static let progressRows = 1
}
