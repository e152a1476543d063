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
    ],
    targets: [
        // Pure analytics: parsing, profiles, queries. No terminal, no database.
        .target(name: "ForesightCore"),
        // Deterministic synthetic data: generator and live simulator.
        .target(name: "ForesightSim", dependencies: ["ForesightCore"]),
        // Helpers shared by the test targets: fixtures, temporary files, fixed clocks.
        .target(name: "ForesightTestSupport", dependencies: ["ForesightCore"]),
        .executableTarget(
            name: "foresight",
            dependencies: [
                "ForesightCore", "ForesightSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ForesightCoreTests",
            dependencies: ["ForesightCore", "ForesightTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ForesightSimTests", dependencies: ["ForesightSim", "ForesightCore", "ForesightTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["ForesightCore", "ForesightTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
