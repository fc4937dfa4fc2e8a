import CovenantLoader
import CovenantSource
import Foundation
import Testing

/// Every loader diagnostic, as a fixture: `Fixtures/<case>/input.yaml` (plus any files it imports)
/// and the exact rendered output in `expected.en.txt` and `expected.zh.txt`.
/// `RECORD_SNAPSHOTS=1 swift test` rewrites the expected files.
/// Serialized: rendering changes the process's working directory, which parallel cases would share.
@Suite(.serialized) struct FixtureTests {
    static let fixtures: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []).sorted()
    }

    static func render(_ name: String, _ language: Language) -> String {
        // Paths relative to the fixtures folder, so the output does not depend on the checkout.
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(fixtures.path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let result = ConventionLoader.load(file: "\(name)/input.yaml",
                                           options: LoadOptions(ruleRoot: name, asOf: nil))
        let renderer = DiagnosticRenderer(language: language, color: false)
        var out = renderer.render(result.diagnostics, sources: result.sources)
        out += result.convention == nil ? "=> not loaded\n" : "=> loaded: \(result.convention!.rules.count) rules\n"
        return out
    }

    @Test(arguments: cases, [Language.en, .zh])
    func fixture(_ name: String, _ language: Language) throws {
        let actual = Self.render(name, language)
        let file = Self.fixtures.appendingPathComponent("\(name)/expected.\(language.rawValue).txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected)
    }

    @Test func everyErrorFixtureFailsToLoadAndNamesAPosition() {
        for name in Self.cases where !name.hasPrefix("import-ok") && !name.hasPrefix("lint") {
            let out = Self.render(name, .en)
            #expect(out.hasSuffix("=> not loaded\n"), "\(name) should not load")
            #expect(out.contains(": error"), "\(name) should report an error")
        }
    }
}
