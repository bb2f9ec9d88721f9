// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "extravasd",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "extravasd", targets: ["extravasd"]),
        .executable(name: "feedgen", targets: ["feedgen"]),
        .library(name: "HL7", targets: ["HL7"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Pure HL7 v2 reader: bytes in, messages out. No I/O, no Foundation.
        .target(name: "HL7"),

        // libsystemd, found through pkg-config (Debian: libsystemd-dev).
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // Journald adapter: structured entries through sd_journal_sendv.
        .target(name: "Journal", dependencies: ["CSystemd"]),

        // File adapter: chunked reads of feed files.
        .target(name: "FeedIO"),

        // A JSON writer that keeps key order (the JSON-lines outputs are contracts).
        .target(name: "JSONOutput"),

        // Seeded generator of realistic HL7 feeds (tests, fuzz seeds, benchmarks).
        .target(name: "FeedGen"),
        .executableTarget(
            name: "feedgen",
            dependencies: ["FeedGen", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // The command-line interface; `extravasd` is a thin entry point over it.
        .target(
            name: "ExtravasdCommands",
            dependencies: [
                "HL7", "FeedIO", "JSONOutput",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "extravasd", dependencies: ["ExtravasdCommands"]),

        // Benchmark baseline: a plain memchr split in C (-O2).
        .target(name: "CBaseline", cSettings: [.unsafeFlags(["-O2"])]),
        .executableTarget(
            name: "extravasd-bench",
            dependencies: ["HL7", "FeedGen", "FeedIO", "CBaseline"],
            path: "Benchmarks/ReaderBenchmark"
        ),

        .testTarget(name: "HL7Tests", dependencies: ["HL7", "FeedGen"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal"]),
        .testTarget(name: "FeedGenTests", dependencies: ["FeedGen", "HL7"]),
        .testTarget(
            name: "ExtravasdCommandsTests",
            dependencies: ["ExtravasdCommands", "HL7", "FeedIO", "FeedGen"]
        ),
    ]
)
