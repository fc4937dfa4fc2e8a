import ArgumentParser
import CovenantCEL
import CovenantSource

/// `covenant expr`: evaluates one CEL expression and prints its value as JSON — the authors'
/// playground for rule conditions.
struct Expr: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate one CEL expression and print its value as JSON.",
        discussion: """
            Variables come from --vars (a JSON object) and/or --vars-file (a JSON or YAML file holding \
            an object, e.g. a saved incident). JSON integers are int, other numbers double. \
            Errors are printed with their position; the exit status is 1 for parse, type and evaluation \
            errors and 2 for usage errors.
            """
    )

    @Option(name: .long, help: "Variables as a JSON object, e.g. '{\"facts\": {\"charging\": true}}'.")
    var vars: String?

    @Option(name: .customLong("vars-file"), help: "A JSON or YAML file holding an object of variables.")
    var varsFile: String?

    @OptionGroup var language: LanguageOption

    @Argument(help: "The expression, e.g. 'facts.location in [\"corridor\", \"stairwell\"]'.")
    var expression: String

    func run() throws {
        let renderer = language.renderer()
        let lang = language.language
        var bindings: [(String, Value)] = []
        if let varsFile {
            bindings += try loadVariables(file: varsFile, renderer: renderer)
        }
        if let vars {
            let value: Value
            do {
                value = try JSON.parse(vars)
            } catch {
                let span = SourceSpan(file: "--vars", start: error.location)
                let d = Diagnostic(.error, code: "U0001", message: error.message, span: span)
                Terminal.writeError(renderer.render(d, source: SourceText(name: "--vars", text: vars)))
                throw ExitStatus.usage
            }
            guard case .map(let map) = value else {
                Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0002", message: .init(
                    en: "--vars must be a JSON object such as '{\"x\": 1}'", zh: "--vars 必须是 JSON 对象，如 '{\"x\": 1}'"))))
                throw ExitStatus.usage
            }
            for entry in map.entries {
                guard case .string(let name) = entry.key else { continue }
                bindings.removeAll { $0.0 == name }
                bindings.append((name, entry.value))
            }
        }
        let declarations = bindings.map { (name: $0.0, type: VariableTypes.staticType(of: $0.1)) }
        let environment = CELEnvironment(variables: declarations)
        let source = CELSource(file: "<expr>", text: expression)
        let text = SourceText(name: "<expr>", text: expression)
        let program: CELProgram
        do {
            program = try environment.compile(expression)
        } catch {
            Terminal.writeError(renderer.render(error.issues.map(source.diagnostic(for:)), sources: ["<expr>": text]))
            throw ExitStatus.findings
        }
        let activation = environment.activation(Dictionary(bindings, uniquingKeysWith: { _, b in b }))
        do {
            let value = try program.evaluate(activation)
            Terminal.write(JSON.write(value) + "\n")
        } catch {
            var diagnostic = source.diagnostic(for: error)
            diagnostic.code = "E0301"
            _ = lang
            Terminal.writeError(renderer.render(diagnostic, source: text))
            throw ExitStatus.findings
        }
    }

    private func loadVariables(file: String, renderer: DiagnosticRenderer) throws -> [(String, Value)] {
        let value = try VariableFiles.load(file, renderer: renderer)
        guard case .map(let map) = value else {
            Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0002", message: .init(
                en: "`\(file)` must hold an object (a mapping of names to values)",
                zh: "`\(file)` 必须是对象（名称到值的映射）"))))
            throw ExitStatus.usage
        }
        return map.entries.compactMap { entry in
            guard case .string(let name) = entry.key else { return nil }
            return (name, entry.value)
        }
    }
}

/// Static types for variables whose values are given (the `expr` playground declares each
/// variable with the type of its value; lists and maps hold `dyn`).
enum VariableTypes {
    static func staticType(of value: Value) -> CELType {
        switch value {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        case .list: return .list(.dyn)
        case .map: return .map(.string, .dyn)
        case .timestamp: return .timestamp
        case .duration: return .duration
        case .type: return .type(.dyn)
        }
    }
}
