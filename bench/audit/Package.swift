// swift-tools-version: 6.1
// Benchmark tools (not part of the product or CI): depends on the Casebook package two
// folders up, by path. See bench/audit-verify.sh.
import Foundation
import PackageDescription

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "CasebookBench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "audit-bundle-generator",
            dependencies: [.product(name: "CasebookCore", package: root.lastPathComponent.lowercased())],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("InternalImportsByDefault")]
        ),
    ]
)
