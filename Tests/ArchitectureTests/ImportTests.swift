import Foundation
import Testing

/// The module boundaries, as imports: SwiftPM lets a target import anything it reaches
/// transitively, so this test is what keeps, e.g., the expression language free of conventions.
@Suite struct ImportTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// What each module may import (besides the standard library, Foundation-free where noted).
    static let allowed: [String: Set<String>] = [
        "CovenantSource": [],
        "CovenantYAML": ["CYAML", "CovenantSource", "Glibc", "Darwin"],
        "CovenantCEL": ["CovenantSource", "Synchronization", "Glibc", "Musl", "Darwin"],
        "CovenantModel": ["CovenantCEL", "CovenantSource"],
        "CovenantLoader": ["CovenantModel", "CovenantCEL", "CovenantYAML", "CovenantSource", "Glibc", "Darwin"],
        "CovenantIO": ["CovenantModel", "CovenantCEL", "CovenantYAML", "CovenantSource"],
        "CovenantEngine": ["CovenantModel", "CovenantCEL", "CovenantSource", "Dispatch"],
        "CovenantReports": ["CovenantModel", "CovenantCEL", "CovenantSource"],
        "CovenantLedger": ["CSQLite", "CovenantEngine", "CovenantModel", "CovenantCEL", "CovenantSource", "Glibc", "Darwin"],
        "CovenantRuleTests": ["CovenantEngine", "CovenantReports", "CovenantIO", "CovenantModel", "CovenantYAML", "CovenantCEL", "CovenantSource"],
        "Covenant": ["CovenantReports", "CovenantEngine", "CovenantLoader", "CovenantIO", "CovenantModel", "CovenantCEL", "CovenantSource"],
        "covenant": ["ArgumentParser", "CovenantSource", "CovenantYAML", "CovenantCEL", "CovenantModel", "CovenantLoader",
                     "CovenantEngine", "CovenantIO", "CovenantReports", "CovenantRuleTests", "CovenantLedger", "Synchronization", "Glibc", "Darwin"],
        "covenant-bench": ["CovenantCEL", "CovenantSource", "CovenantEngine", "CovenantModel", "Covenant", "Foundation", "Glibc", "Darwin"],
    ]

    static func imports(of module: String) throws -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        let dir = sources.appendingPathComponent(module)
        let enumerator = FileManager.default.enumerator(atPath: dir.path)
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".swift") else { continue }
            let text = try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)
            for line in text.split(separator: "\n") {
                if let m = line.firstMatch(of: /^\s*(?:@_exported\s+|@testable\s+)?import\s+(?:struct\s+|enum\s+|class\s+)?([A-Za-z_]+)/) {
                    result[path, default: []].insert(String(m.output.1))
                }
            }
        }
        return result
    }

    @Test(arguments: allowed.keys.sorted())
    func moduleImportsOnlyWhatItMay(_ module: String) throws {
        let allowed = Self.allowed[module]!
        let files = try Self.imports(of: module)
        #expect(!files.isEmpty || module == "CovenantSource", "no sources found for \(module)")
        for (file, imports) in files {
            let extra = imports.subtracting(allowed)
            #expect(extra.isEmpty, "\(module)/\(file) imports \(extra.sorted())")
        }
    }

    @Test func expressionLanguageKnowsNothingOfConventions() throws {
        let all = try Self.imports(of: "CovenantCEL").values.reduce(into: Set<String>()) { $0.formUnion($1) }
        #expect(all.isDisjoint(with: ["CovenantModel", "CovenantLoader", "CovenantYAML", "CYAML", "CovenantEngine", "ArgumentParser"]))
    }

    @Test func engineKnowsNothingOfFilesOrTerminals() throws {
        let all = try Self.imports(of: "CovenantEngine").values.reduce(into: Set<String>()) { $0.formUnion($1) }
        #expect(all.isDisjoint(with: ["Foundation", "Glibc", "Darwin", "CovenantYAML", "CovenantIO", "ArgumentParser"]))
    }
}
