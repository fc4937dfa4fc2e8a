import CovenantModel
import CovenantSource
import CovenantYAML

/// The tests of one convention, gathered from its files: `tests:` in the convention file and its
/// imports, and `*_test.yaml` files beside it (`convention: <id>` names the convention when a folder
/// holds several).
public struct RuleTestSuite: Sendable {
    public var convention: Convention
    public var cases: [RuleTestCase]
    public var diagnostics: [Diagnostic]
    public var sources: [String: SourceText]

    /// Gathers tests for `convention` from its files and from `testFiles` (the `*_test.yaml` files
    /// found next to it); `readFile` returns a file's bytes.
    public static func gather(convention: Convention, testFiles: [String], conventionsInFolder: Int,
                              readFile: (String) -> [UInt8]?) -> RuleTestSuite {
        gather(convention: convention, testFiles: testFiles, conventionsInFolder: conventionsInFolder) { file in
            readFile(file).map { bytes in Result { () throws(YAMLError) in try YAMLReader.parseDocument(bytes: bytes, file: file) } }
        }
    }

    /// The same, with each file's document (or why it is not one) from `document` — for a caller
    /// that has parsed the files already (`check` reads each once).
    public static func gather(convention: Convention, testFiles: [String], conventionsInFolder: Int,
                              document: (String) -> Result<YAMLDocument, YAMLError>?) -> RuleTestSuite {
        var suite = RuleTestSuite(convention: convention, cases: [], diagnostics: [], sources: [:])
        func add(_ file: String, requireOwner: Bool) {
            guard let parsed = document(file) else { return }
            do {
                let doc = try parsed.get()
                suite.sources[file] = doc.source
                if requireOwner {
                    let owner = doc.root["convention"]?.string
                    if let owner, owner != convention.id { return }
                    if owner == nil && conventionsInFolder != 1 { return }
                }
                guard let tests = doc.root["tests"], !tests.isNull else { return }
                let (cases, diagnostics) = RuleTestReader.read(tests)
                suite.cases += cases
                suite.diagnostics += diagnostics
            } catch {
                suite.diagnostics.append(error.diagnostic)
                if let s = error.source { suite.sources[file] = s }
            }
        }
        for file in convention.files { add(file, requireOwner: false) }
        for file in testFiles { add(file, requireOwner: true) }
        return suite
    }

    /// Runs every case; coverage accumulates over all of them.
    public func run() -> (results: [RuleTestResult], coverage: [RuleCoverage]) {
        let runner = RuleTestRunner(convention: convention)
        var coverage = runner.emptyCoverage()
        let results = cases.map { runner.run($0, coverage: &coverage) }
        return (results, convention.rules.compactMap { coverage[$0.id] })
    }
}
