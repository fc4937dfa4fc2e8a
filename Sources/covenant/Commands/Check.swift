import ArgumentParser
import CovenantLoader
import CovenantModel
import CovenantRuleTests
import CovenantSource
import CovenantYAML

/// `covenant check`: loads conventions like a compiler and reports every problem with its position.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check rule files (files or folders): schema, references, conditions, lint warnings.",
        discussion: """
            A file with `covenant` and `id` is a convention; files without `id` are fragments that \
            conventions import; `*_test.yaml` files hold rule tests. Exit status: 0 clean (warnings \
            allowed), 1 errors found, 2 unreadable input.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "Output format: text (default) or json (one array of diagnostics, for editors and CI).")
    var format: Format = .text

    @Option(name: .customLong("as-of"), help: "The date expired exemptions are judged against (YYYY-MM-DD; default: today).")
    var asOf: String?

    @OptionGroup var language: LanguageOption

    @Argument(help: "Rule files or folders holding them.")
    var paths: [String]

    func run() throws {
        let renderer = language.renderer()
        let lang = language.language
        var diagnostics: [Diagnostic] = []
        var sources: [String: SourceText] = [:]
        var unreadable = false
        var fileCount = 0
        var conventions = 0
        var imported: Set<String> = []
        var fragments: [String] = []
        let asOfDate: LocalDate
        if let asOf {
            guard let parsed = LocalDate.parse(asOf) else {
                Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0008", message: .init(
                    en: "--as-of must be a date such as 2026-11-29", zh: "--as-of 必须是日期，如 2026-11-29"))))
                throw ExitStatus.usage
            }
            asOfDate = parsed
        } else {
            asOfDate = Clock.today()
        }
        var documents: [String: Result<YAMLDocument, YAMLError>] = [:]
        for path in paths {
            let files = Files.yamlFiles(under: path)
            let ruleRoot = Files.isDirectory(path) ? path : nil
            if files.isEmpty || (files == [path] && !Files.exists(path)) {
                Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0005", message: .init(
                    en: "no rule files (*.yaml) at `\(path)`", zh: "`\(path)` 处没有规则文件（*.yaml）"))))
                unreadable = true
                continue
            }
            // Each rule file parsed once here, for whether it is a convention root, its tests and
            // its YAML checks (the loader reads a convention and its imports itself).
            for file in files where documents[file] == nil { documents[file] = Self.document(file) }
            var roots: [String: Bool?] = [:]
            for file in files where !Files.isRuleTestFile(file) {
                roots[file] = (try? documents[file]?.get()).map { $0.root["id"] != nil }
            }
            for file in files {
                fileCount += 1
                if Files.isRuleTestFile(file) {
                    // Rule test files are one document each, as `covenant test` reads them.
                    diagnostics += yamlOnly(file, parsed: documents[file], sources: &sources)
                    continue
                }
                switch roots[file] ?? nil {
                case true?:
                    conventions += 1
                    let result = ConventionLoader.load(file: file, options: LoadOptions(ruleRoot: ruleRoot, asOf: asOfDate))
                    diagnostics += result.diagnostics
                    sources.merge(result.sources) { a, _ in a }
                    if let convention = result.convention {
                        diagnostics += untestedRules(convention, root: file, files: files, roots: roots, documents: &documents)
                    }
                    for f in result.files.dropFirst() { imported.insert(Files.canonical(f)) }
                case false?:
                    fragments.append(file)
                case nil:
                    // Not read as one document: say why, as loading it would (several documents,
                    // none, or a YAML error).
                    diagnostics += yamlOnly(file, parsed: documents[file], sources: &sources)
                }
            }
        }
        for fragment in fragments where !imported.contains(Files.canonical(fragment)) {
            diagnostics += yamlOnly(fragment, sources: &sources)
            diagnostics.append(Diagnostic(.warning, code: "W0006", message: .init(
                en: "`\(fragment)` has no `id` and no convention imports it, so it is not checked",
                zh: "`\(fragment)` 没有 `id`，也没有公约导入它，因此未被检查"),
                span: SourceSpan(file: fragment, start: SourceLocation(line: 1, column: 1)),
                help: .init(en: "add `covenant: 1` and `id:` to make it a convention, or import it", zh: "加上 `covenant: 1` 和 `id:` 使其成为公约，或在公约中导入它")))
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        switch format {
        case .json:
            Terminal.write(DiagnosticJSON.array(diagnostics, language: lang) + "\n")
        case .text:
            if !diagnostics.isEmpty { Terminal.writeError(renderer.render(diagnostics, sources: sources, limit: 200)) }
            let summary = lang == .zh
                ? "检查了 \(fileCount) 个文件（\(conventions) 部公约）：\(errors) 个错误，\(warnings) 个警告\n"
                : "checked \(fileCount) file\(fileCount == 1 ? "" : "s") (\(conventions) convention\(conventions == 1 ? "" : "s")): "
                    + "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
            Terminal.writeError(summary)
        }
        if unreadable { throw ExitStatus.usage }
        if errors > 0 { throw ExitStatus.findings }
    }

    /// W0004: rules that no rule test makes apply (tests are run quietly to find out).
    private func untestedRules(_ convention: Convention, root: String, files: [String], roots: [String: Bool?],
                               documents: inout [String: Result<YAMLDocument, YAMLError>]) -> [Diagnostic] {
        let dir = ConventionLoaderPaths.directory(of: root)
        let testFiles = files.filter { Files.isRuleTestFile($0) && ConventionLoaderPaths.directory(of: $0).hasPrefix(dir) }
        let sameFolder = files.filter { !$0.hasSuffix("_test.yaml") && ConventionLoaderPaths.directory(of: $0) == dir
            && (roots[$0] ?? nil) == true }.count
        for file in convention.files + testFiles where documents[file] == nil { documents[file] = Self.document(file) }
        let parsed = documents
        let suite = RuleTestSuite.gather(convention: convention, testFiles: testFiles, conventionsInFolder: sameFolder) { parsed[$0] }
        guard !suite.cases.isEmpty else {
            return [Diagnostic(.warning, code: "W0004", message: .init(
                en: "convention `\(convention.id)` has no rule tests", zh: "公约 `\(convention.id)` 没有规则测试"),
                span: SourceSpan(file: root, start: SourceLocation(line: 1, column: 1)),
                help: .init(en: "add a `tests:` section or a `*_test.yaml` file, and run `covenant test`",
                            zh: "请添加 `tests:` 段或 `*_test.yaml` 文件，并运行 `covenant test`"))]
        }
        let coverage = suite.run().coverage
        return zip(convention.rules, coverage).compactMap { rule, c in
            c.applied ? nil : Diagnostic(.warning, code: "W0004", message: .init(
                en: "no test makes rule `\(rule.id)` apply", zh: "没有测试使规则 `\(rule.id)` 适用"), span: rule.span,
                help: .init(en: "add a test case whose incident this rule judges", zh: "请添加一个由该规则判定的测试用例"))
        }
    }

    /// A rule file's bytes: one past the YAML reader's limit at most, enough for it to say the file
    /// is too large (Y0006).
    static func read(_ file: String) throws(Files.ReadError) -> [UInt8] {
        try Files.read(file, limit: YAMLLimits.default.maxFileBytes + 1, truncating: true)
    }

    /// A rule file read and parsed as one document (nil when it cannot be read: `yamlOnly` says why).
    static func document(_ file: String) -> Result<YAMLDocument, YAMLError>? {
        guard let bytes = try? read(file) else { return nil }
        return Result { () throws(YAMLError) in try YAMLReader.parseDocument(bytes: bytes, file: file) }
    }

    /// The YAML checks of a file parsed as one document already (a rule test file, a file that
    /// is not one document): its diagnostic, if any.
    private func yamlOnly(_ file: String, parsed: Result<YAMLDocument, YAMLError>?, sources: inout [String: SourceText]) -> [Diagnostic] {
        switch parsed {
        case .success(let doc)?:
            sources[file] = doc.source
            return []
        case .failure(let error)?:
            if let source = error.source { sources[file] = source }
            return [error.diagnostic]
        case nil:
            // Unreadable: reading it again says why.
            return yamlOnly(file, sources: &sources)
        }
    }

    /// Reads a file (a fragment no convention imports) with the YAML reader's checks only.
    private func yamlOnly(_ file: String, sources: inout [String: SourceText]) -> [Diagnostic] {
        do {
            sources[file] = try YAMLReader.parseStream(bytes: try Self.read(file), file: file).source
            return []
        } catch let error as YAMLError {
            if let source = error.source { sources[file] = source }
            return [error.diagnostic]
        } catch let error as Files.ReadError {
            return [Diagnostic(.error, code: "U0003", message: error.message)]
        } catch {
            return []
        }
    }
}
