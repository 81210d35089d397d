// swift-tools-version:6.1
import PackageDescription

// One set of settings for every Swift target, as Hummingbird does: imports are internal unless a file says
// otherwise, a file sees the members of the modules it imports only, and what only our modules share is
// `package`, not `public` (TLSRPTCore, a library product, keeps a public API).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "tlsrpt",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tlsrpt", targets: ["tlsrpt"]),
        .library(name: "TLSRPTCore", targets: ["TLSRPTCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // traits: [] drops swift-configuration, which we do not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // Named because the server uses them directly (a reloadable TLS context, channel handlers); Hummingbird
        // already depends on them, so nothing new is fetched.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // The probe: the MTA-STS policy fetched over HTTPS as a sender does (no redirects), and certificate
        // chains judged with the same X.509 rules a sender applies, whatever the handshake let through.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        // Named for its DER/PEM readers, which swift-certificates' types take (already fetched for it).
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        // The second store (issue #17): PostgreSQL, when several collector hosts share one database.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The system zlib, with a shim for `inflateInit2`, which is a macro Swift cannot call.
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),

        // Pure core: the RFC 8460 model, JSON decoding, normalisation, policy strings, result types.
        .target(name: "TLSRPTCore", swiftSettings: swiftSettings),
        // Pure MIME reader: finds report payloads in RFC 5322 messages.
        .target(name: "TLSRPTMail", dependencies: ["TLSRPTCore"], swiftSettings: swiftSettings),
        // Bytes to report JSON: gzip (bounded), MIME, sniffing.
        .target(name: "TLSRPTExtract", dependencies: ["TLSRPTCore", "TLSRPTMail", "CZlib"], swiftSettings: swiftSettings),
        // SQLite: schema, migrations, batched inserts, dedup, queries.
        .target(
            name: "TLSRPTStore",
            dependencies: [
                "TLSRPTCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        // One input's bytes to reports ready for the store: extract -> decode -> normalise, pure. Every
        // source shares it, the HTTPS endpoint too, without the file walking and inotify of TLSRPTIngest.
        .target(
            name: "TLSRPTProcessing", dependencies: ["TLSRPTCore", "TLSRPTMail", "TLSRPTExtract", "TLSRPTStore"],
            swiftSettings: swiftSettings),
        // The PostgreSQL store: the same semantics as the SQLite one behind `ReportStorage`, over postgres-nio.
        .target(
            name: "TLSRPTPostgres",
            dependencies: [
                "TLSRPTCore", "TLSRPTStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // Sources (files, directories, maildirs, stdin, watch) feeding the processing into the store.
        .target(
            name: "TLSRPTIngest",
            dependencies: ["TLSRPTCore", "TLSRPTExtract", "TLSRPTProcessing", "TLSRPTStore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        // Summaries, diagnoses and renderers.
        .target(name: "TLSRPTAnalysis", dependencies: ["TLSRPTCore", "TLSRPTStore"], swiftSettings: swiftSettings),
        // The HTTPS POST endpoint (RFC 8460 §3 `rua=https://`).
        .target(
            name: "TLSRPTServer",
            dependencies: [
                "TLSRPTCore", "TLSRPTExtract", "TLSRPTStore", "TLSRPTProcessing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // A thread pool of its own for decoding, off the cooperative pool (DecodeQueue).
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // Alerts at the edge (issue #16): after each commit, new problems raised, delivered by command, webhook
        // (NIO's HTTP/1.1 and TLS, already here for the server) and sendmail, and recorded.
        .target(
            name: "TLSRPTAlert",
            dependencies: [
                "TLSRPTCore", "TLSRPTStore", "TLSRPTAnalysis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // The probe's pure half: facts gathered about a domain in, checks and finding statuses out.
        .target(name: "TLSRPTProbe", dependencies: ["TLSRPTCore", "TLSRPTStore", "TLSRPTAnalysis"], swiftSettings: swiftSettings),
        // The probe's network half: a DNS client over UDP, SMTP STARTTLS, the policy over HTTPS.
        .target(
            name: "TLSRPTProbeNetwork",
            dependencies: [
                "TLSRPTCore", "TLSRPTProbe",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings),
        // The thin command-line tool.
        .executableTarget(
            name: "tlsrpt",
            dependencies: [
                "TLSRPTCore", "TLSRPTExtract", "TLSRPTStore", "TLSRPTPostgres", "TLSRPTIngest", "TLSRPTAnalysis", "TLSRPTServer",
                "TLSRPTAlert", "TLSRPTProbe", "TLSRPTProbeNetwork",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // Fixture paths, temporary folders and a runner for the real executable, shared by the tests.
        .target(name: "TLSRPTTestSupport", path: "Tests/Support", swiftSettings: swiftSettings),

        .testTarget(name: "TLSRPTCoreTests", dependencies: ["TLSRPTCore", "TLSRPTTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "TLSRPTMailTests", dependencies: ["TLSRPTMail", "TLSRPTCore", "TLSRPTTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSRPTExtractTests", dependencies: ["TLSRPTExtract", "TLSRPTMail", "TLSRPTCore", "TLSRPTTestSupport"], exclude: ["FuzzRegressions"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSRPTStoreTests",
            dependencies: ["TLSRPTStore", "TLSRPTCore", "TLSRPTExtract", "TLSRPTTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSRPTPostgresTests",
            dependencies: [
                "TLSRPTPostgres", "TLSRPTStore", "TLSRPTIngest", "TLSRPTCore", "TLSRPTExtract", "TLSRPTProcessing", "TLSRPTTestSupport",
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSRPTProcessingTests", dependencies: ["TLSRPTProcessing", "TLSRPTStore", "TLSRPTExtract", "TLSRPTCore", "TLSRPTTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSRPTIngestTests",
            dependencies: [
                "TLSRPTIngest", "TLSRPTProcessing", "TLSRPTExtract", "TLSRPTStore", "TLSRPTCore", "TLSRPTTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSRPTAnalysisTests",
            dependencies: ["TLSRPTAnalysis", "TLSRPTProcessing", "TLSRPTStore", "TLSRPTCore", "TLSRPTTestSupport"],
            // Golden outputs are read by path (#filePath), not bundled.
            exclude: ["Golden"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSRPTServerTests",
            dependencies: [
                "TLSRPTServer", "TLSRPTStore", "TLSRPTCore", "TLSRPTExtract", "TLSRPTProcessing", "TLSRPTTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSRPTAlertTests",
            dependencies: [
                "TLSRPTAlert", "TLSRPTAnalysis", "TLSRPTProcessing", "TLSRPTStore", "TLSRPTCore", "TLSRPTTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSRPTProbeTests", dependencies: ["TLSRPTProbe", "TLSRPTAnalysis", "TLSRPTStore", "TLSRPTCore", "TLSRPTTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSRPTProbeNetworkTests",
            dependencies: [
                // tlsrpt: the end-to-end test runs the built executable.
                "tlsrpt", "TLSRPTProbeNetwork", "TLSRPTProbe", "TLSRPTCore", "TLSRPTTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["tlsrpt", "TLSRPTTestSupport"], swiftSettings: swiftSettings),
    ]
)
