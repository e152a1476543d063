import Foundation

/// The segmentation part of `foresight.yml`: rule segments, the RFM map and the cluster settings.
public struct SegmentsConfiguration: Sendable {
    /// The file it was read from.
    public var file: String
    /// Valid rule segments, in file order (definitions with problems are left out).
    public var segments: [RuleSegment]
    /// Where each of ``segments`` is defined: 1-based line and column of its entry.
    public var locations: [(line: Int, column: Int)]
    public var rfm: RFMMap
    public var clusters: ClusterSettings

    public init(file: String = "", segments: [RuleSegment] = [], locations: [(line: Int, column: Int)] = [],
                rfm: RFMMap = .standard, clusters: ClusterSettings = ClusterSettings()) {
        self.file = file
        self.segments = segments
        self.locations = locations
        self.rfm = rfm
        self.clusters = clusters
    }

    /// The sections a configuration file may hold; `journeys` and `triggers` are read by their own
    /// loaders.
    public static let sections = ["version", "segments", "rfm", "clusters", "journeys", "campaigns", "triggers"]
}

/// What loading a configuration gave: the valid definitions and every problem found.
public struct SegmentsConfigurationLoad: Sendable {
    public var configuration: SegmentsConfiguration
    public var problems: [ConfigProblem]
    /// False when the file could not be read or its YAML did not parse: a live reload should keep
    /// the configuration it has.
    public var isUsable: Bool
}

extension SegmentsConfiguration {
    /// Loads a configuration file.
    public static func load(path: String) -> SegmentsConfigurationLoad {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            return SegmentsConfigurationLoad(
                configuration: SegmentsConfiguration(file: name),
                problems: [ConfigProblem(file: name, line: 1, column: 1, reason: "cannot read \(path)")], isUsable: false)
        }
        return parse(yaml: String(decoding: data, as: UTF8.self), file: name)
    }

    /// Parses configuration text; `file` names it in problems.
    public static func parse(yaml: String, file: String) -> SegmentsConfigurationLoad {
        var doc = ConfigDocument(yaml: yaml, file: file)
        var config = SegmentsConfiguration(file: file)
        if let root = doc.root {
            doc.checkKeys(root, known: sections, in: "the configuration")
        }
        if let (_, rfm) = doc.section("rfm") { config.rfm = RFMSection.read(rfm, &doc) }
        if let (_, clusters) = doc.section("clusters") { config.clusters = ClustersSection.read(clusters, &doc) }
        if let (key, segments) = doc.section("segments") {
            let read = SegmentsSection.read(segments, key: key, rfmNames: config.rfm.rules.map(\.name), &doc)
            config.segments = read.map(\.segment)
            config.locations = read.map(\.location)
        }
        return SegmentsConfigurationLoad(configuration: config, problems: doc.problems, isUsable: doc.parsed)
    }
}
