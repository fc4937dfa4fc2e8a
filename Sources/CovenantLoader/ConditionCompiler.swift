import CovenantCEL
import CovenantModel
import CovenantSource
import CovenantYAML

/// Compiles an expression held in a YAML scalar, reporting CEL errors at their position in the
/// rule file: plain and quoted scalars start at the scalar (one column later for quotes); block
/// scalars (`|`, `>`) start on the next line at the block's indentation.
enum ConditionCompiler {
    static func source(for node: YAMLNode, text: String, file: SourceText) -> CELSource {
        let style = node.style ?? .plain
        var origin = node.span.start
        var continuation: Int?
        switch style {
        case .singleQuoted, .doubleQuoted:
            origin.column += 1
        case .literal, .folded:
            let line = node.span.start.line + 1
            let indent = file.line(line).map { $0.prefix { $0 == " " }.count } ?? 0
            origin = SourceLocation(line: line, column: indent + 1)
            continuation = indent + 1
        case .plain:
            let indent = file.line(node.span.start.line + 1).map { $0.prefix { $0 == " " }.count } ?? 0
            continuation = indent + 1
        }
        return CELSource(file: node.span.file, text: text, origin: origin, continuationColumn: continuation)
    }

    /// Compiles a condition; nil (with diagnostics) when it does not compile.
    static func compile(
        _ node: YAMLNode, environment: CELEnvironment, expecting: CELType?, file: SourceText,
        what: LocalizedText, _ d: inout Diagnostics
    ) -> Condition? {
        guard let scalar = node.scalar, !node.isNull else {
            d.error(LoaderMessage.wrongType(expected: "an expression (a string)", found: NodeReader.describe(node)), at: node.span)
            return nil
        }
        var text = scalar.text
        // A plain `true`/`false` or a number is a valid expression too.
        if scalar.style == .folded || scalar.style == .literal {
            while text.hasSuffix("\n") { text.removeLast() }
        }
        let source = source(for: node, text: text, file: file)
        do {
            let program = try environment.compile(text, expecting: expecting)
            return Condition(text: text, source: source, program: program)
        } catch {
            for issue in error.issues {
                var diagnostic = source.diagnostic(for: issue)
                if issue.code == "E0210" {
                    diagnostic.help = LocalizedText(en: "\(what.en) must be a bool condition", zh: "\(what.zh)必须是布尔条件")
                }
                d.items.append(diagnostic)
            }
            return nil
        }
    }
}
