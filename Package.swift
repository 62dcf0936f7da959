// swift-tools-version: 6.0
import PackageDescription

// Dependencies, each chosen for what it saves us:
// - GRDB: SQLite with WAL connection pools, migrations and records; the embedded default store.
// - swift-argument-parser: `portald` and `portalctl` subcommands, flags and generated `--help`.
// - swift-log: the logging API every server-side Swift library speaks.
let package = Package(
    name: "EnterprisePortal",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "portald", targets: ["portald"]),
        .executable(name: "portalctl", targets: ["portalctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZeroMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(name: "PortalProtocol"),
        .target(name: "PortalCore", dependencies: ["PortalProtocol", "CSodium"]),
        .target(
            name: "PortalStore",
            dependencies: [
                "PortalCore", .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API that GRDB links, for the few statements bound directly.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "PortalService",
            dependencies: [
                "PortalCore", "PortalStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PortalServer",
            dependencies: [
                "ZeroMQ", "PortalService",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CommandLineSupport",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "portald",
            dependencies: [
                "PortalServer", "PortalService", "PortalStore", "PortalCore", "CommandLineSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "PortalBench", dependencies: ["ZeroMQ", "PortalProtocol", "PortalCore"]),
        .executableTarget(
            name: "portalctl",
            dependencies: [
                "ZeroMQ", "PortalProtocol", "PortalCore", "PortalBench", "CommandLineSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        .testTarget(name: "PortalProtocolTests", dependencies: ["PortalProtocol"]),
        .testTarget(name: "PortalCoreTests", dependencies: ["PortalCore"]),
        .testTarget(
            name: "PortalStoreTests",
            dependencies: ["PortalStore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .testTarget(name: "PortalServiceTests", dependencies: ["PortalService"]),
        .testTarget(name: "PortalServerTests", dependencies: ["PortalServer"]),
        .testTarget(name: "PortalBenchTests", dependencies: ["PortalBench", "ZeroMQ"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ZeroMQ", "PortalProtocol", "PortalCore", "PortalStore", "PortalService", "portald", "portalctl"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
