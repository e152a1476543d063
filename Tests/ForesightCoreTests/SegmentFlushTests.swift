import Testing
import ForesightCore
import ForesightTestSupport

@Suite struct SegmentTimerWithEventTests {
    /// A customer whose timer is due in the flush that also has her event: the segments reading the clock are
    /// evaluated too, not only those reading what the event changed.
    @Test func aDueTimerIsNotLostWhenTheCustomerAlsoHadAnEvent() throws {
        let segments = SegmentsConfiguration(file: "t", segments: [
            RuleSegment(name: "Quiet buyers", rule: try CompiledRule.compile("days_since_order > 2").get()),
        ])
        var p = IngestPipeline(sourceName: "t")
        p.segments = LiveSegments(configuration: segments)
        feed(&p, [track("ann", "Order Completed", "2026-03-01T10:00:00Z", "\"order_id\":\"o1\",\"revenue\":10")])
        p.flushSegments()
        #expect(p.segments?.membership.sizes == [0])
        // Three days later a page view; the flush has both her due timer (day 2) and her event.
        feed(&p, [track("ann", "Page Viewed", "2026-03-04T10:00:00Z")])
        p.flushSegments()
        #expect(p.segments?.membership.sizes == [1])
    }
}
