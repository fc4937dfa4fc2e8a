import CovenantLoader
import CovenantModel
import CovenantSource

/// Loads the one convention `-r RULES` names: a convention file, or a folder holding exactly one
/// convention (plus the fragments it imports and its test files).
enum RuleLoading {
    static func load(_ path: String, renderer: DiagnosticRenderer) throws -> Convention {
        var root = path
        var ruleRoot: String?
        if Files.isDirectory(path) {
            ruleRoot = path
            let candidates = Files.yamlFiles(under: path).filter {
                !$0.hasSuffix("_test.yaml") && ConventionLoader.isConventionRoot($0) == true
            }
            guard candidates.count == 1 else {
                let message: LocalizedText = candidates.isEmpty
                    ? .init(en: "no convention (a file with `covenant` and `id`) under `\(path)`",
                            zh: "`\(path)` 下没有公约（含 `covenant` 与 `id` 的文件）")
                    : .init(en: "`\(path)` holds \(candidates.count) conventions; name one: " + candidates.joined(separator: ", "),
                            zh: "`\(path)` 下有 \(candidates.count) 部公约，请指定其一：" + candidates.joined(separator: "、"))
                Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0006", message: message)))
                throw ExitStatus.usage
            }
            root = candidates[0]
        } else if !Files.exists(path) {
            Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0003", message: .init(
                en: "cannot read `\(path)`: no such file or directory", zh: "无法读取 `\(path)`：文件或目录不存在"))))
            throw ExitStatus.usage
        }
        let result = ConventionLoader.load(file: root, options: LoadOptions(ruleRoot: ruleRoot))
        guard let convention = result.convention else {
            let errors = result.diagnostics.filter { $0.severity == .error }
            Terminal.writeError(renderer.render(errors, sources: result.sources))
            Terminal.writeError(renderer.language == .zh
                ? "规则有 \(errors.count) 个错误；请先运行 `covenant check`\n"
                : "the rules have \(errors.count) error\(errors.count == 1 ? "" : "s"); run `covenant check` first\n")
            throw ExitStatus.usage
        }
        return convention
    }
}
