// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Foresight",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "foresight", targets: ["foresight"]),
        .library(name: "ForesightCore", targets: ["ForesightCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Pure analytics: parsing, profiles, queries, segments. No terminal, no database.
        .target(
            name: "ForesightCore",
            dependencies: [
                "CForesightSupport",
                .product(name: "Yams", package: "Yams"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        // A C helper for what Swift cannot say: a cache prefetch hint.
        .target(name: "CForesightSupport"),
        // Deterministic synthetic data: generator and live simulator.
        .target(name: "ForesightSim", dependencies: ["ForesightCore"]),
        // Helpers shared by the test targets: fixtures, temporary files, fixed clocks.
        .target(name: "ForesightTestSupport", dependencies: ["ForesightCore", "ForesightUI"]),
        // System library: the wide-character ncurses, with a shim header for what Swift cannot import.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // Durable state: SQLite checkpoints, restore, erasure and its audit; the only importer of GRDB.
        .target(
            name: "ForesightStore",
            dependencies: [
                "ForesightCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Dashboard rendering: cell grid, widgets, views. No curses.
        .target(name: "ForesightUI", dependencies: ["ForesightCore"]),
        // The ncurses backend; the only importer of CNcursesw.
        .target(name: "ForesightTerminal", dependencies: ["ForesightUI", "CNcursesw"]),
        .executableTarget(
            name: "foresight",
            dependencies: [
                "ForesightCore", "ForesightSim", "ForesightUI", "ForesightTerminal", "ForesightStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ForesightCoreTests",
            dependencies: ["ForesightCore", "ForesightTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ForesightSimTests", dependencies: ["ForesightSim", "ForesightCore", "ForesightTestSupport"]),
        .testTarget(
            name: "ForesightUITests",
            dependencies: ["ForesightUI", "ForesightSim", "ForesightTestSupport"],
            exclude: ["Snapshots"],
            resources: [.copy("Fixtures")]
        ),
        // The store against a real SQLite file, and the crash harness (kill -9 of the built binary).
        .testTarget(
            name: "ForesightStoreTests",
            dependencies: ["ForesightStore", "ForesightCore", "ForesightSim", "ForesightTestSupport", "foresight",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "ForesightTerminalTests", dependencies: ["ForesightTerminal", "ForesightUI"]),
        // Headless commands against expected output; depends on the executable so `swift test` builds it.
        .testTarget(name: "CLITests", dependencies: ["ForesightCore", "ForesightTestSupport", "foresight"], resources: [.copy("Expected")]),
        // Runs the built `foresight` binary under tmux; depending on the executable makes `swift test` build it.
        .testTarget(name: "EndToEndTests", dependencies: ["ForesightTestSupport", "foresight"]),
    ],
    swiftLanguageModes: [.v6]
)
