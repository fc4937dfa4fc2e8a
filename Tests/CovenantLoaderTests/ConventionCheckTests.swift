import CovenantLoader
import Foundation
import Testing

/// `ConventionLoader.check` finds nothing in a convention the loader accepted: the shipped ones
/// and every fixture that loads (it states the loader's own rules, for conventions built in code).
@Suite struct ConventionCheckTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func loadedConventionsPassTheCheck() throws {
        var files = ["rules/zh/laoshiqu.yaml", "rules/en/maple-court-hoa.yaml"].map { Self.root.appendingPathComponent($0).path }
        let fixtures = FixtureTests.fixtures
        for name in FixtureTests.cases { files.append(fixtures.appendingPathComponent("\(name)/input.yaml").path) }
        var loaded = 0
        for file in files {
            let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
            guard let convention = ConventionLoader.load(file: file, options: LoadOptions(ruleRoot: directory, asOf: nil)).convention else { continue }
            loaded += 1
            #expect(ConventionLoader.check(convention).isEmpty, "\(file): \(ConventionLoader.check(convention).map(\.message.en))")
        }
        #expect(loaded >= 3)
    }
}
