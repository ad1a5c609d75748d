// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "joget-cluster",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "joget-cluster", targets: ["JogetCluster"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // ncursesw, wide characters, with static-inline wrappers for its macros.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),

        // Turns the top-level screens/ and assets/ folders into Swift source, so the binary runs from anywhere.
        .executableTarget(name: "EmbedTool", path: "Sources/EmbedTool"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedTool"]),

        // Model, validation, answers file, plan, templates, screen specs. No terminal, no processes.
        .target(name: "ClusterCore", dependencies: [.product(name: "Yams", package: "Yams")],
                plugins: ["EmbedFiles"]),

        // Transports (local shell, OpenSSH), scheduler, journal, logs, redaction.
        // swift-crypto for SHA-256 (the answers hash, the transfer checks): see bench/sha256.
        .target(name: "ClusterEngine", dependencies: [
            "ClusterCore",
            .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Cell buffer, widgets, key events, headless screen. Knows nothing of SSH or Joget.
        .target(name: "TermUI"),

        // Draws a TermUI buffer with ncurses and reads keys.
        .target(name: "TermCurses", dependencies: ["TermUI", "CNcurses"]),

        // The wizard's screens and flow: state + message -> update -> effects.
        .target(name: "Wizard", dependencies: ["ClusterCore", "ClusterEngine", "TermUI"]),

        // Argument parsing and wiring only.
        .executableTarget(name: "JogetCluster", dependencies: [
            "ClusterCore", "ClusterEngine", "TermUI", "TermCurses", "Wizard",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // For the tests only: starting programs (posix_spawn + waitpid) and text snapshots.
        .target(name: "TestSupport", dependencies: ["TermUI"], path: "Tests/TestSupport"),

        .testTarget(name: "ClusterCoreTests", dependencies: ["ClusterCore", "TestSupport"], exclude: ["Golden"]),
        // Wizard for the line output (LineOutput), which the front ends own.
        .testTarget(name: "ClusterEngineTests", dependencies: ["ClusterEngine", "ClusterCore", "TestSupport", "Wizard"]),
        .testTarget(name: "TermUITests", dependencies: ["TermUI", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "WizardTests", dependencies: ["Wizard", "TermUI", "ClusterCore", "ClusterEngine", "TestSupport"],
                    exclude: ["Snapshots"]),
    ]
)
