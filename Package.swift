// swift-tools-version: 6.1
import PackageDescription

/// Strictness shared by every Casebook target.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Casebook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "casebook", targets: ["casebook"]),
        .library(name: "CasebookCore", targets: ["CasebookCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        .target(
            name: "CasebookCrypto",
            dependencies: ["CSodium"],
            swiftSettings: strict
        ),
        .target(
            name: "CasebookFormat",
            dependencies: ["CasebookCrypto"],
            swiftSettings: strict,
            // Confusable-name skeletons come from the ICU inside the toolchain's Foundation
            // (ConfusableSkeleton.swift); importing `_FoundationICU` does not link it.
            linkerSettings: [.linkedLibrary("_FoundationICU", .when(platforms: [.linux]))]
        ),
        .target(
            name: "CasebookCore",
            dependencies: [
                "CasebookCrypto",
                "CasebookFormat",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CasebookStore",
            dependencies: [
                "CasebookCore",
                "CasebookCrypto",
                "CasebookFormat",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "casebook",
            dependencies: [
                "CasebookCore",
                "CasebookStore",
                "CasebookFormat",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "CasebookTestSupport",
            dependencies: ["CasebookCore", "CasebookStore", "CasebookCrypto"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CasebookCryptoTests",
            dependencies: ["CasebookCrypto"],
            resources: [.copy("Vectors")],
            swiftSettings: strict
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Tests/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .testTarget(
            name: "CasebookFormatTests",
            dependencies: ["CasebookFormat", "CasebookCrypto", "CZlib"],
            resources: [.copy("Vectors")],
            swiftSettings: strict
        ),
        .testTarget(
            // The wire formats without the vault: only Format and Crypto, as a server would link them.
            name: "CasebookWireTests",
            dependencies: ["CasebookFormat", "CasebookCrypto"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CasebookCoreTests",
            dependencies: ["CasebookCore", "CasebookCrypto", "CasebookFormat", "CasebookTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CasebookStoreTests",
            dependencies: ["CasebookStore", "CasebookCore", "CasebookCrypto", "CasebookFormat", "CasebookTestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CasebookEndToEndTests",
            dependencies: ["casebook", "CasebookTestSupport", "CasebookCore", "CasebookStore", "CasebookCrypto", "CasebookFormat"],
            swiftSettings: strict
        ),
    ]
)
