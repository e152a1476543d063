import ArgumentParser
import ForesightCore
import Foundation

/// `--config FILE`: the segments (and later journeys and triggers) configuration.
struct ConfigOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The configuration (segments, RFM map, clusters). Default: Data/foresight.yml under the current folder or next to the binary's package; edits are picked up while running.", valueName: "file"))
    var config: String?

    /// The file to use: the one given (which must exist), else the bundled default when found, else nil.
    func resolvedPath() throws -> String? {
        if let config {
            guard FileManager.default.fileExists(atPath: config) else { throw CLIError("Cannot read the configuration \(config)") }
            return config
        }
        return Self.locateDefault()
    }

    /// Data/foresight.yml under the current directory, or next to the package the binary was built in.
    static func locateDefault() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath + "/Data/foresight.yml"]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent("Data/foresight.yml").path)
            dir = dir.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Loads the configuration for the live segments, printing its problems as `file:line:column: reason`
    /// to standard error (they are also kept for the screen).
    func liveSegments(engine: EngineConfig) throws -> (segments: LiveSegments, path: String?) {
        guard let path = try resolvedPath() else {
            return (LiveSegments(configuration: SegmentsConfiguration(file: "(none)"), sessionGapMs: engine.sessionGapMs), nil)
        }
        let load = SegmentsConfiguration.load(path: path)
        for problem in load.problems { printError(problem.description) }
        if !load.isUsable { printError("\(path): not usable; running without rule segments until it is fixed") }
        // Segment rules on `stage` read the configured stages (built-in event names; see DECISIONS.md).
        let stages = JourneysConfiguration.load(path: path).configuration.stageRules
        return (LiveSegments(configuration: load.configuration, problems: load.problems, stageRules: stages,
                             sessionGapMs: engine.sessionGapMs), path)
    }

    /// The `journeys:` section (stages, default funnel), its problems printed as `file:line:column: reason`;
    /// the standard stages and funnel without a configuration. Read once, at start.
    func journeys() throws -> JourneysConfiguration {
        guard let path = try resolvedPath() else { return JourneysConfiguration() }
        let load = JourneysConfiguration.load(path: path)
        // YAML errors were printed with the segments' problems already.
        for problem in load.problems where !problem.reason.hasPrefix("YAML") { printError(problem.description) }
        return load.configuration
    }
}
