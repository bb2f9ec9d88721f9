// swift-tools-version:6.1
import PackageDescription

/// Release builds of the modules on the replay path (vocabularies, engine, output) optimize
/// across modules: their small functions and value types are inlined into their callers
/// (DESIGN.md section 9: replay end to end at 0.25x of a memchr split). The HL7 library
/// (a product others may depend on) takes no unsafe flag: its hot accessors are @inlinable.
let acrossModules: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))
]

let package = Package(
    name: "extravasd",
    products: [
        .executable(name: "extravasd", targets: ["extravasd"]),
        .executable(name: "feedgen", targets: ["feedgen"]),
        .library(name: "HL7", targets: ["HL7"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Pure HL7 v2 reader: bytes in, messages out. No I/O, no Foundation.
        .target(name: "HL7"),

        // Clinical vocabularies, pure: catheter sites (table 0163, free text, hierarchy),
        // signs of extravasation in nursing observations, the drug catalog.
        // The coded value (CWE/CE components 1-3) every module shares.
        .target(name: "Coding", swiftSettings: acrossModules),
        // Compact, versioned binary records (varints, length-prefixed strings): the
        // state store's record format, the same bytes on every toolchain.
        .target(name: "BinaryRecords", swiftSettings: acrossModules),
        .target(name: "Sites", swiftSettings: acrossModules),
        .target(name: "Signs", dependencies: ["Coding"], swiftSettings: acrossModules),
        .target(name: "Catalog", dependencies: ["Coding"], swiftSettings: acrossModules),
        // HL7 messages read as clinical events (patients, orders, times), without vocabulary.
        .target(name: "ClinicalEvents", dependencies: ["HL7", "Coding"], swiftSettings: acrossModules),

        // The surveillance engine: messages in, state and alerts out; the clock comes
        // from the messages, so replay and live run the same code. No I/O. Alert ids are
        // SHA-256 (keyed: HMAC-SHA-256) digests from swift-crypto.
        .target(
            name: "Surveillance",
            dependencies: [
                "HL7", "ClinicalEvents", "Sites", "Signs", "Catalog", "BinaryRecords",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: acrossModules
        ),

        // Alerts as people and tools read them: JSON lines, text, the PHI policy (pseudonyms
        // are HMAC-SHA-256 from swift-crypto).
        .target(
            name: "AlertOutput",
            dependencies: [
                "Surveillance", "ClinicalEvents", "JSONOutput",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: acrossModules
        ),

        // MLLP, pure: frames cut from a byte stream in bounded memory, frames written, and the
        // HL7 acknowledgements (original and enhanced mode) that answer a message. The
        // listener (SwiftNIO) drives it; no I/O here.
        .target(name: "MLLP", dependencies: ["HL7"]),
        // The MLLP listener (SwiftNIO): connections accepted on the configured address
        // (bounded, allow-listed, idle ones closed), frames read into messages handed to the
        // daemon in batches, acknowledgements written back in order once the daemon
        // completes each message (after the commit that covers it); TLS (swift-nio-ssl)
        // when a certificate is configured.
        .target(
            name: "MLLPListener",
            dependencies: [
                "MLLP", "HL7", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), "FaultPoints",
            ]
        ),

        // Input quoted in error messages: at most 80 characters, on one line (DESIGN.md section 8).
        .target(name: "InputQuoting"),

        // The configuration file and catalog files (YAML, with line and column errors). The
        // bundled catalogs are config/catalog-*.yaml (linked from Catalogs/), embedded at build time.
        .target(
            name: "Configuration",
            dependencies: [
                "Sites", "Signs", "Catalog", "InputQuoting", "MLLP", .product(name: "Yams", package: "Yams"),
            ],
            resources: [
                .embedInCode("Catalogs/catalog-calcium.yaml"),
                .embedInCode("Catalogs/catalog-vesicants.yaml"),
            ]
        ),

        // libsystemd, found through pkg-config (Debian: libsystemd-dev).
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // glibc's malloc extensions (malloc_trim): the daemon gives freed heap back.
        .systemLibrary(name: "CMalloc"),
        // SQLite, found through pkg-config (Debian: libsqlite3-dev).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The durable state store: checkpoints, engine state, outbox (SQLite, WAL, synchronous=FULL).
        .target(name: "StateStore", dependencies: ["CSQLite", "Threads"]),
        // The same store on PostgreSQL (PostgresNIO): the schema created and versioned at
        // open, one transaction per batch, a part reader that sees committed data only.
        .target(
            name: "PostgresStore",
            dependencies: [
                "StateStore", "Threads", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Follows feed files: globs, inotify, rescans, settle and close-write completion.
        .target(
            name: "FeedFollower",
            dependencies: [
                "HL7", "Threads", .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),

        // Fault points (debug builds only): steps where a test kills the daemon
        // (EXTRAVASD_TEST_FAULT=POINT:N) to prove exactly-once at each.
        .target(name: "FaultPoints"),

        // Dedicated threads: one-shot (blocking calls off the cooperative pool) and serial
        // (a job queue and an actor executor on one thread). One lock idiom: Mutex.
        .target(
            name: "Threads", dependencies: [.product(name: "DequeModule", package: "swift-collections")]
        ),

        // The long-running service: follower -> engine -> store -> journald, under a ServiceGroup.
        // The engine state in a store: records and identities as parts in their binary
        // formats with due times, the remainder, and the engine's paged source over a
        // store's reader (shared by the daemon and replay).
        .target(
            name: "EngineStorage",
            dependencies: ["Surveillance", "StateStore", "ClinicalEvents"]
        ),
        .target(
            name: "Daemon",
            dependencies: [
                "Surveillance", "AlertOutput", "Journal", "StateStore", "EngineStorage", "FeedFollower",
                "ClinicalEvents", "Review",
                "HL7", "Threads", "FeedIO", "MLLP", "MLLPListener", "FaultPoints",
                "InputQuoting", "CMalloc", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // journald adapters (libsystemd): entries sent through sd_journal_sendv on a thread
        // of their own, read back and followed (sd_journal), sd_notify; the destination
        // seam (journald, stderr JSON lines) and a swift-log backend writing to it.
        .target(
            name: "Journal",
            dependencies: [
                "CSystemd", "JSONOutput", "Threads", "FeedIO",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // An in-memory journal (destination and read-back) for in-process daemon tests.
        // On-call review: alerts, acknowledgements and reminders read back from the journal,
        // and whose acknowledgements count (`review.group`).
        .target(
            name: "Review",
            dependencies: ["AlertOutput", "Surveillance", "Journal", "Sites", "ClinicalEvents", "JSONOutput"]),
        .target(name: "JournalTesting", dependencies: ["Journal"]),
        // The review report (`extravasd report --html`), pure: the replay's timeline
        // events, its alerts and the journal's alerts and acknowledgements in, a model of
        // timelines and review figures, one self-contained HTML page (inline CSS and SVG) out.
        .target(
            name: "ReviewReport",
            dependencies: [
                "Review", "AlertOutput", "Surveillance", "ClinicalEvents", "HL7", "Sites", "Signs",
            ]),

        // File adapter: chunked reads of feed files; every write to stdout and stderr
        // (StandardStreams: write(2), EINTR, EPIPE ends the writing quietly).
        .target(name: "FeedIO"),

        // A JSON writer that keeps key order (the JSON-lines outputs are contracts).
        .target(name: "JSONOutput", swiftSettings: acrossModules),

        // Seeded generator of realistic HL7 feeds (tests, fuzz seeds, benchmarks).
        .target(name: "FeedGen"),
        .executableTarget(
            name: "feedgen",
            dependencies: ["FeedGen", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // Replay of historical feed files: the files merged by message time, run through the
        // engine, counted; the state a later replay continues from. `replay` drives it. Each
        // file is read ahead (framed, parsed, prepared) on a thread of its own.
        .target(
            name: "Replay",
            dependencies: [
                "HL7", "FeedIO", "ClinicalEvents", "Surveillance", "Threads", "StateStore", "EngineStorage",
                "BinaryRecords",
            ],
            swiftSettings: acrossModules
        ),

        // The command-line interface; `extravasd` is a thin entry point over it.
        .target(
            name: "ExtravasdCommands",
            dependencies: [
                "HL7", "FeedIO", "JSONOutput", "ClinicalEvents", "Surveillance", "AlertOutput",
                "Configuration", "Daemon", "Replay", "Review", "ReviewReport", "MLLPListener",
                "Journal", "FeedFollower", "StateStore", "PostgresStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "extravasd", dependencies: ["ExtravasdCommands"]),

        // Benchmark baseline: a plain memchr split in C (-O2).
        .target(name: "CBaseline", cSettings: [.unsafeFlags(["-O2"])]),
        .executableTarget(
            name: "extravasd-bench",
            dependencies: [
                "HL7", "FeedGen", "FeedIO", "CBaseline", "Surveillance", "AlertOutput", "Configuration",
                "ClinicalEvents", "Replay",
            ],
            path: "Benchmarks/ReaderBenchmark"
        ),
        // Fuzz targets built by SwiftPM (scripts/fuzz-engine, scripts/fuzz-config build them
        // with -DFUZZING and libFuzzer; otherwise each is a stub that says so).
        .target(name: "FuzzDriver", path: "Fuzz/FuzzDriver"),
        .executableTarget(
            name: "extravasd-fuzz-engine",
            dependencies: [
                "Surveillance", "Configuration", "FeedGen", "HL7", "ClinicalEvents", "Sites", "Signs",
                "FuzzDriver",
            ],
            path: "Fuzz/EngineFuzz"),
        .executableTarget(
            name: "extravasd-fuzz-config", dependencies: ["Configuration", "FuzzDriver"],
            path: "Fuzz/ConfigurationFuzz"),

        // Benchmark: alert latency of the running daemon (append + close -> readable in the journal).
        .executableTarget(
            name: "extravasd-latency", dependencies: ["Journal"], path: "Benchmarks/AlertLatency"),

        .testTarget(name: "HL7Tests", dependencies: ["HL7", "FeedGen"]),
        .testTarget(name: "MLLPTests", dependencies: ["MLLP", "HL7"]),
        .testTarget(
            name: "MLLPListenerTests",
            dependencies: [
                "MLLPListener", "MLLP", "HL7", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "SitesTests", dependencies: ["Sites"]),
        .testTarget(name: "ClinicalEventsTests", dependencies: ["ClinicalEvents", "HL7"]),
        .testTarget(
            name: "AlertOutputTests",
            dependencies: ["AlertOutput", "Surveillance", "ClinicalEvents", "Sites", "Signs"]),
        .testTarget(
            name: "SurveillanceTests",
            dependencies: [
                "Surveillance", "ClinicalEvents", "HL7", "Sites", "Signs", "Catalog", "Configuration",
                "FeedGen", "BinaryRecords",
            ]
        ),
        .testTarget(name: "SignsTests", dependencies: ["Signs", "Coding"]),
        .testTarget(name: "BinaryRecordsTests", dependencies: ["BinaryRecords"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "Coding"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "Coding"]),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "JournalTesting"]),
        .testTarget(
            name: "ReviewTests",
            dependencies: ["Review", "AlertOutput", "Surveillance", "Sites", "ClinicalEvents"]),
        .testTarget(
            name: "ReviewReportTests",
            dependencies: [
                "ReviewReport", "Review", "AlertOutput", "Surveillance", "ClinicalEvents", "Sites", "Signs",
            ]
        ),
        .testTarget(name: "StateStoreTests", dependencies: ["StateStore"]),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: [
                "PostgresStore", "StateStore", .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "Daemon", "AlertOutput", "Journal", "FeedGen", "Surveillance", "StateStore", "HL7",
                "Configuration", "EngineStorage",
                "ClinicalEvents", "Review", "JournalTesting",
            ],
            // Databases written by earlier builds, read from the source tree by path.
            exclude: ["Fixtures"]),
        .testTarget(
            name: "DaemonInProcessTests",
            dependencies: [
                "Daemon", "JournalTesting", "AlertOutput", "Configuration", "Surveillance", "StateStore",
                "HL7",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "FeedFollowerTests", dependencies: ["FeedFollower", "HL7", "FeedGen"]),
        .testTarget(name: "FeedGenTests", dependencies: ["FeedGen", "HL7"]),
        .testTarget(
            name: "ReplayTests",
            dependencies: [
                "Replay", "Surveillance", "ClinicalEvents", "HL7", "FeedGen", "Configuration", "StateStore",
            ]
        ),
        .testTarget(
            name: "ExtravasdCommandsTests",
            dependencies: [
                "ExtravasdCommands", "HL7", "FeedIO", "FeedGen", "AlertOutput", "Surveillance",
                "ClinicalEvents", "Sites", "Signs", "Journal",
            ]
        ),
    ]
)
