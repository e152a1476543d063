extension Engine {
    /// Every segment of `configuration` at `now`, built in one pass over the customers: rule-segment
    /// membership, RFM scores with the configured names, and behavioural clusters. The headless commands
    /// use it; the live state reaches the same membership event by event.
    /// - Parameters:
    ///   - scores: churn risk, P(alive), CLV and expected orders for rules that use them.
    ///   - clusters: fit the behavioural clusters (the costliest part: k chosen by silhouette).
    /// - Complexity: O(customers × rules) plus the RFM quintiles and the k-means fit.
    public func segmentCatalog(configuration: SegmentsConfiguration, scores: some SegmentScoreProvider, now: Int64,
                               clusters: Bool = true) -> SegmentCatalog {
        var membership = SegmentMembership(segments: configuration.segments, sessionGapMs: config.sessionGapMs)
        membership.explainsChanges = false
        _ = membership.refreshAll(in: self, scores: scores, now: now)
        let rfm = RFMScorer.score(rfmExtract(), map: configuration.rfm)
        let fitted = clusters && !profiles.isEmpty ? BehaviourClusters.fit(behaviourMatrix(now: now), settings: configuration.clusters) : nil
        return SegmentCatalog(membership: membership, rfmMap: configuration.rfm, rfm: rfm, clusters: fitted)
    }
}
