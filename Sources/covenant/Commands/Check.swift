import ArgumentParser
import CovenantSource
import CovenantYAML

/// `covenant check`: reads rule files and reports every problem with its position.
///
/// This first version reads each YAML file with the YAML reader's checks (syntax, duplicate keys,
/// tabs, encoding, limits); the convention loader extends it with the rule-file schema.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check rule files (files or folders) and print diagnostics with file:line:col.",
        discussion: "Exit status: 0 clean, 1 errors found, 2 unreadable input."
    )

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
        for path in paths {
            let files = Files.yamlFiles(under: path)
            if files.isEmpty {
                Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0005", message: .init(
                    en: "no rule files (*.yaml) under `\(path)`", zh: "`\(path)` 下没有规则文件（*.yaml）"))))
                unreadable = true
            }
            for file in files {
                fileCount += 1
                let bytes: [UInt8]
                do {
                    bytes = try Files.read(file, limit: YAMLLimits.default.maxFileBytes + 1)
                } catch {
                    Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0003", message: error.message)))
                    unreadable = true
                    continue
                }
                do {
                    let stream = try YAMLReader.parseStream(bytes: bytes, file: file)
                    sources[file] = stream.source
                } catch {
                    diagnostics.append(error.diagnostic)
                    if let source = error.source { sources[file] = source }
                }
            }
        }
        if !diagnostics.isEmpty {
            Terminal.writeError(renderer.render(diagnostics, sources: sources))
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let summary = lang == .zh
            ? "检查了 \(fileCount) 个文件：\(errors) 个错误\n"
            : "checked \(fileCount) file\(fileCount == 1 ? "" : "s"): \(errors) error\(errors == 1 ? "" : "s")\n"
        Terminal.writeError(summary)
        if unreadable { throw ExitStatus.usage }
        if errors > 0 { throw ExitStatus.findings }
    }
}
