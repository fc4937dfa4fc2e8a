// swift-tools-version:6.0
import PackageDescription

// Module boundaries (see the README's Layout section):
//   CovenantSource  – source text, positions, diagnostics (stdlib only)
//   CovenantYAML    – libyaml → node tree with marks and limits (knows nothing of conventions)
//   CovenantCEL     – the CEL-subset expression language (knows nothing of YAML or conventions)
//   covenant        – the CLI: wires and formats only
let package = Package(
    name: "Covenant",
    products: [
        .library(name: "Covenant", targets: ["Covenant"]),
        .library(name: "CovenantCEL", targets: ["CovenantCEL"]),
        .library(name: "CovenantYAML", targets: ["CovenantYAML"]),
        .library(name: "CovenantLoader", targets: ["CovenantLoader"]),
        .library(name: "CovenantEngine", targets: ["CovenantEngine"]),
        .library(name: "CovenantReports", targets: ["CovenantReports"]),
        .executable(name: "covenant", targets: ["covenant"]),
        .executable(name: "covenant-bench", targets: ["covenant-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .target(name: "CovenantSource"),
        .target(name: "CovenantLedger", dependencies: ["CSQLite", "CovenantEngine", "CovenantModel", "CovenantCEL", "CovenantSource"]),
        .target(name: "CovenantYAML", dependencies: ["CYAML", "CovenantSource"]),
        .target(name: "CovenantCEL", dependencies: ["CovenantSource"]),
        .target(name: "CovenantModel", dependencies: ["CovenantCEL", "CovenantSource"]),
        .target(name: "CovenantIO", dependencies: ["CovenantModel", "CovenantCEL", "CovenantYAML", "CovenantSource"]),
        .target(name: "CovenantEngine", dependencies: ["CovenantModel", "CovenantCEL", "CovenantSource"]),
        .target(name: "CovenantReports", dependencies: ["CovenantModel", "CovenantCEL", "CovenantSource"]),
        .target(name: "CovenantRuleTests", dependencies: ["CovenantEngine", "CovenantReports", "CovenantIO", "CovenantModel", "CovenantYAML", "CovenantCEL", "CovenantSource"]),
        .target(name: "Covenant", dependencies: ["CovenantReports", "CovenantEngine", "CovenantLoader", "CovenantIO", "CovenantModel", "CovenantCEL", "CovenantSource"]),
        .target(name: "CovenantLoader", dependencies: ["CovenantModel", "CovenantCEL", "CovenantYAML", "CovenantSource"]),
        .executableTarget(
            name: "covenant",
            dependencies: [
                "CovenantSource", "CovenantYAML", "CovenantCEL", "CovenantModel", "CovenantLoader", "CovenantEngine", "CovenantIO", "CovenantReports", "CovenantRuleTests", "CovenantLedger",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "covenant-bench", dependencies: ["CovenantCEL", "CovenantSource", "CovenantEngine", "CovenantModel"]),
        .testTarget(name: "CovenantSourceTests", dependencies: ["CovenantSource"]),
        .testTarget(name: "CovenantYAMLTests", dependencies: ["CovenantYAML", "CovenantSource"]),
        .testTarget(name: "CovenantCELTests", dependencies: ["CovenantCEL", "CovenantSource"]),
        .testTarget(name: "CovenantLoaderTests", dependencies: ["CovenantLoader", "CovenantModel", "CovenantCEL", "CovenantSource"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "CovenantEngineTests", dependencies: ["CovenantEngine", "CovenantLoader", "CovenantModel", "CovenantCEL", "CovenantIO", "CovenantYAML", "Covenant"]),
        .testTarget(name: "CovenantReportsTests", dependencies: ["CovenantReports", "CovenantEngine", "CovenantLoader", "CovenantModel", "CovenantCEL"]),
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "CovenantCLITests", dependencies: ["covenant"], exclude: ["Snapshots", "Fixtures"]),
    ]
)

// libFuzzer targets (Sources/Fuzz, built and run by scripts/fuzz.sh). They are part of the package only
// when COVENANT_FUZZ is set — scripts/fuzz.sh sets it and builds them with `-sanitize=fuzzer,address`
// in their own scratch path (.build-fuzz) — so the ordinary `swift build` and `swift test` never see them.
if Context.environment["COVENANT_FUZZ"] != nil {
    let fuzzDriver: Target.Dependency = "CFuzzDriver"
    package.targets += [
        .target(name: "CFuzzDriver", path: "Sources/Fuzz/CFuzzDriver"),
        .executableTarget(name: "FuzzYAML", dependencies: [fuzzDriver, "CovenantYAML", "CovenantSource"],
                          path: "Sources/Fuzz/FuzzYAML"),
        .executableTarget(name: "FuzzLoader", dependencies: [fuzzDriver, "CovenantLoader", "CovenantEngine", "CovenantModel", "CovenantCEL", "CovenantSource"],
                          path: "Sources/Fuzz/FuzzLoader"),
        .executableTarget(name: "FuzzExpression", dependencies: [fuzzDriver, "CovenantCEL", "CovenantSource"],
                          path: "Sources/Fuzz/FuzzExpression"),
        .executableTarget(name: "FuzzIncidents", dependencies: [fuzzDriver, "CovenantIO", "CovenantLoader", "CovenantEngine", "CovenantModel", "CovenantCEL", "CovenantSource"],
                          path: "Sources/Fuzz/FuzzIncidents"),
    ]
}
