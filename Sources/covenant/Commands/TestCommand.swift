import ArgumentParser
import CovenantCEL
import CovenantLoader
import CovenantModel
import CovenantRuleTests
import CovenantSource
#if canImport(Glibc)
import Glibc
#endif

/// `covenant test`: runs the committee's rule tests, with coverage.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule tests (tests: sections and *_test.yaml files) and report pass/fail and coverage.",
        discussion: """
            Prints each case, a readable diff of expected against actual on failure (with file:line), and \
            a summary line `N passed, M failed`. Exit 1 on any failure or when coverage is below \
            --min-coverage, 2 for unreadable input or rules with errors.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "Output: text (default) or json.")
    var format: Format = .text

    @Option(help: "Also write JUnit XML to this file (for CI systems).")
    var junit: String?

    @Flag(help: "Print per-rule coverage: applied, complied, violated, ladder steps reached.")
    var coverage = false

    @Option(name: .customLong("min-coverage"), help: "Fail when coverage is below this percentage.")
    var minCoverage: Double?

    @OptionGroup var language: LanguageOption

    @Argument(help: "Rule files or folders.")
    var paths: [String]

    func run() throws {
        let renderer = language.renderer()
        let lang = language.language
        let suites = try TestDiscovery.suites(paths, renderer: renderer)
        var passed = 0
        var failed = 0
        var covered = 0
        var total = 0
        var json: [Value] = []
        var junitSuites: [(String, [RuleTestResult])] = []
        let color = Terminal.colorAllowed(forStderr: false)
        func paint(_ s: String, _ c: String) -> String { color ? "\u{1B}[\(c)m\(s)\u{1B}[0m" : s }
        var diagnosticsFound = false
        for suite in suites {
            if !suite.diagnostics.isEmpty {
                Terminal.writeError(renderer.render(suite.diagnostics, sources: suite.sources))
                diagnosticsFound = true
            }
            let (results, cov) = suite.run()
            junitSuites.append((suite.convention.id, results))
            let file = suite.convention.files.first ?? suite.convention.id
            if format == .text { Terminal.write("\(VerdictFormat.clean(file)) (\(suite.convention.id))\n") }
            for r in results {
                if r.passed { passed += 1 } else { failed += 1 }
                if format == .text {
                    if r.passed {
                        Terminal.write("  \(paint("✓", "32")) \(VerdictFormat.clean(r.name))\n")
                    } else {
                        Terminal.write("  \(paint("✗", "31")) \(VerdictFormat.clean(r.name)) (\(r.span))\n")
                        for f in r.failures { Terminal.write("      \(VerdictFormat.clean(f.text(lang)))\n") }
                    }
                }
                json.append(.map(MapValue([
                    ("convention", .string(suite.convention.id)), ("name", .string(r.name)), ("passed", .bool(r.passed)),
                    ("location", .string(r.span.description)), ("failures", .list(r.failures.map { .string($0.text(lang)) })),
                ])))
            }
            covered += cov.reduce(0) { $0 + $1.covered }
            total += cov.reduce(0) { $0 + $1.total }
            if coverage && format == .text { Terminal.write(Self.coverageTable(cov, lang)) }
        }
        let percent = total == 0 ? 100.0 : Double(covered) * 100 / Double(total)
        if let junit { try writeJUnit(junitSuites, to: junit, renderer: renderer, lang: lang) }
        switch format {
        case .text:
            if coverage || minCoverage != nil {
                Terminal.write(lang == .zh ? "覆盖率：\(Self.oneDecimal(percent))%（\(covered)/\(total)）\n"
                                           : "coverage: \(Self.oneDecimal(percent))% (\(covered)/\(total))\n")
            }
            Terminal.write(lang == .zh ? "\(passed) 个通过，\(failed) 个失败\n" : "\(passed) passed, \(failed) failed\n")
        case .json:
            Terminal.write(JSON.write(.map(MapValue([
                ("cases", .list(json)), ("passed", .int(Int64(passed))), ("failed", .int(Int64(failed))),
                ("coverage", .double(percent)),
            ]))) + "\n")
        }
        if diagnosticsFound { throw ExitStatus.usage }
        if failed > 0 { throw ExitStatus.findings }
        if let minCoverage, percent + 1e-9 < minCoverage {
            Terminal.writeError(lang == .zh ? "覆盖率 \(Self.oneDecimal(percent))% 低于 \(minCoverage)%\n"
                                            : "coverage \(Self.oneDecimal(percent))% is below \(minCoverage)%\n")
            throw ExitStatus.findings
        }
    }

    static func oneDecimal(_ x: Double) -> String {
        let t = Int((x * 10).rounded())
        return "\(t / 10).\(t % 10)"
    }

    static func coverageTable(_ cov: [RuleCoverage], _ lang: Language) -> String {
        let zh = lang == .zh
        let headers = zh ? ["条款", "适用", "遵守", "违反", "阶梯"] : ["rule", "applied", "complied", "violated", "steps"]
        let rows = cov.map { c in
            [c.rule, c.applied ? "✓" : "✗", c.canComply ? (c.complied ? "✓" : "✗") : (zh ? "不适用" : "n/a"), c.violated ? "✓" : "✗",
             c.stepCount == 0 ? "-" : "\(c.stepsReached.sorted().map(String.init).joined(separator: ","))/\(c.stepCount)"]
        }
        return TableRenderer(headers: headers, rows: rows, numeric: []).text()
    }

    func writeJUnit(_ suites: [(String, [RuleTestResult])], to path: String, renderer: DiagnosticRenderer, lang: Language) throws {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        for (name, results) in suites {
            let failures = results.filter { !$0.passed }.count
            xml += "  <testsuite name=\"\(HTML.escape(name))\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\">\n"
            for r in results {
                xml += "    <testcase classname=\"\(HTML.escape(name))\" name=\"\(HTML.escape(r.name))\" file=\"\(HTML.escape(r.span.file))\" line=\"\(r.span.start.line)\""
                if r.passed {
                    xml += "/>\n"
                } else {
                    xml += ">\n      <failure message=\"\(HTML.escape(r.failures.first?.text(lang) ?? ""))\">\(HTML.escape(r.failures.map { $0.text(lang) }.joined(separator: "\n")))</failure>\n    </testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        if let problem = Files.write(xml, to: path) {
            Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0009", message: problem)))
            throw ExitStatus.usage
        }
    }
}

/// Finds conventions and their tests under paths.
enum TestDiscovery {
    static func suites(_ paths: [String], renderer: DiagnosticRenderer) throws -> [RuleTestSuite] {
        var suites: [RuleTestSuite] = []
        for path in paths {
            let files = Files.yamlFiles(under: path)
            guard Files.exists(path), !files.isEmpty else {
                Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0005", message: .init(
                    en: "no rule files (*.yaml) at `\(path)`", zh: "`\(path)` 处没有规则文件（*.yaml）"))))
                throw ExitStatus.usage
            }
            let testFiles = files.filter(Files.isRuleTestFile)
            let roots = files.filter { !testFiles.contains($0) && ConventionLoader.isConventionRoot($0) == true }
            for root in roots {
                let result = ConventionLoader.load(file: root, options: LoadOptions(ruleRoot: Files.isDirectory(path) ? path : nil))
                guard let convention = result.convention else {
                    Terminal.writeError(renderer.render(result.diagnostics.filter { $0.severity == .error }, sources: result.sources))
                    throw ExitStatus.usage
                }
                let dir = ConventionLoaderPaths.directory(of: root)
                let nearby = testFiles.filter { ConventionLoaderPaths.directory(of: $0).hasPrefix(dir) }
                let sameFolder = roots.filter { ConventionLoaderPaths.directory(of: $0) == dir }.count
                suites.append(RuleTestSuite.gather(convention: convention, testFiles: nearby, conventionsInFolder: sameFolder) {
                    try? Files.read($0, limit: 4 << 20)
                })
            }
        }
        return suites
    }
}

enum ConventionLoaderPaths {
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}
