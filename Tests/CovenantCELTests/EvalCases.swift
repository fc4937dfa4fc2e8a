import CovenantSource
import Testing
@testable import CovenantCEL

// Shared machinery for the table-driven conformance suites. Every case id names the cel-spec
// conformance file and test it mirrors (`integer_math/int64_overflow_positive`), or
// `covenant/<topic>/<name>` for cases of our own. Expected values were derived from the CEL
// language definition (doc/langdef.md), not copied from cel-spec's files.

/// What a case expects.
enum Expectation: Sendable {
    /// Evaluation succeeds; the value rendered by `JSON.write` is this text, and when `type` is
    /// set the value's runtime type name is that (to tell `44` from `44u`).
    case value(json: String, type: String?)
    /// Compilation succeeds and evaluation fails with this kind, the message containing `message`.
    case evalError(EvalError.Kind, message: String?)
    /// Compilation (parse or check) fails; the first issue has this code, its message contains
    /// `message`, its help contains `help`, and it starts at byte offset `at`.
    case compileError(code: String, message: String?, help: String?, at: Int?)
    /// Compilation succeeds with this static result type (`CELType.description`).
    case resultType(String)
}

/// One expression with its variables and expectation.
struct EvalCase: Sendable, CustomTestStringConvertible {
    let id: String
    let expr: String
    /// Variable bindings as a JSON object; each variable is declared with the type inferred from
    /// its value (`int`, `list(int)`, `map(string, dyn)`, …) unless `types` names one. A string
    /// bound to a variable declared `.timestamp` or `.duration` is parsed as one.
    let vars: String?
    let types: [String: CELType]
    let expected: Expectation

    var testDescription: String { id }

    /// Evaluates to `json` (optionally of runtime type `type`).
    static func ok(_ id: String, _ expr: String, _ json: String, type: String? = nil,
                   vars: String? = nil, types: [String: CELType] = [:]) -> EvalCase {
        EvalCase(id: id, expr: expr, vars: vars, types: types, expected: .value(json: json, type: type))
    }

    /// Compiles, then fails at run time with `kind`.
    static func fails(_ id: String, _ expr: String, _ kind: EvalError.Kind, _ message: String? = nil,
                      vars: String? = nil, types: [String: CELType] = [:]) -> EvalCase {
        EvalCase(id: id, expr: expr, vars: vars, types: types, expected: .evalError(kind, message: message))
    }

    /// Fails to compile with `code`.
    static func rejects(_ id: String, _ expr: String, _ code: String, _ message: String? = nil, help: String? = nil,
                        at: Int? = nil, vars: String? = nil, types: [String: CELType] = [:]) -> EvalCase {
        EvalCase(id: id, expr: expr, vars: vars, types: types,
                 expected: .compileError(code: code, message: message, help: help, at: at))
    }

    /// Compiles to the static type `type`.
    static func typed(_ id: String, _ expr: String, _ type: String, vars: String? = nil,
                      types: [String: CELType] = [:]) -> EvalCase {
        EvalCase(id: id, expr: expr, vars: vars, types: types, expected: .resultType(type))
    }
}

/// The static type a JSON-bound variable is declared with: the most precise type of its value.
func inferredType(of value: Value) -> CELType {
    switch value {
    case .list(let items):
        guard let first = items.first else { return .list(.dyn) }
        let t = inferredType(of: first)
        return .list(items.allSatisfy { inferredType(of: $0) == t } ? t : .dyn)
    case .map(let map):
        guard let first = map.entries.first else { return .map(.string, .dyn) }
        let t = inferredType(of: first.value)
        return .map(.string, map.entries.allSatisfy { inferredType(of: $0.value) == t } ? t : .dyn)
    default:
        return value.runtimeType
    }
}

/// Compiles and evaluates a case and checks the expectation.
func check(_ c: EvalCase, limits: CELLimits = .default, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    var bindings: [String: Value] = [:]
    if let vars = c.vars {
        do throws(JSON.SyntaxError) {
            guard case .map(let map) = try JSON.parse(vars) else {
                Issue.record("\(c.id): vars must be a JSON object", sourceLocation: sourceLocation)
                return
            }
            for (key, value) in map.entries {
                guard case .string(let name) = key else { continue }
                bindings[name] = value
                // JSON has no timestamps or durations: a string bound to a variable declared as
                // one is parsed (RFC 3339, or the duration syntax).
                if case .string(let text) = value {
                    if c.types[name] == .timestamp, let t = Timestamp.parse(text) { bindings[name] = .timestamp(t) }
                    if c.types[name] == .duration, let d = CELDuration.parse(text) { bindings[name] = .duration(d) }
                }
            }
        } catch {
            Issue.record("\(c.id): vars are not valid JSON: \(error.message.en)", sourceLocation: sourceLocation)
            return
        }
    }
    let names = Set(bindings.keys).union(c.types.keys).sorted()
    let declarations = names.map { ($0, c.types[$0] ?? bindings[$0].map(inferredType(of:)) ?? .dyn) }
    let env = CELEnvironment(variables: declarations, limits: limits)

    let program: CELProgram
    do throws(CELCompileError) {
        program = try env.compile(c.expr)
    } catch {
        guard case .compileError(let code, let message, let help, let at) = c.expected else {
            let first = error.issues.first
            Issue.record("\(c.id): unexpected compile error \(first?.code ?? "?"): \(first?.message.en ?? "") @\(first?.start ?? -1)",
                         sourceLocation: sourceLocation)
            return
        }
        guard let issue = error.issues.first else {
            Issue.record("\(c.id): compile error without issues", sourceLocation: sourceLocation)
            return
        }
        #expect(issue.code == code, "\(c.id): code \(issue.code) (\(issue.message.en))", sourceLocation: sourceLocation)
        if let message {
            #expect(issue.message.en.contains(message), "\(c.id): message \"\(issue.message.en)\"", sourceLocation: sourceLocation)
        }
        if let help {
            #expect(issue.help?.en.contains(help) == true, "\(c.id): help \"\(issue.help?.en ?? "none")\"",
                    sourceLocation: sourceLocation)
        }
        if let at {
            #expect(issue.start == at, "\(c.id): starts at \(issue.start)", sourceLocation: sourceLocation)
        }
        #expect(issue.start >= 0 && issue.start <= issue.end && issue.end <= c.expr.utf8.count + 1,
                "\(c.id): span \(issue.start)..<\(issue.end)", sourceLocation: sourceLocation)
        #expect(!issue.message.zh.isEmpty, "\(c.id): message has a zh text", sourceLocation: sourceLocation)
        return
    }
    switch c.expected {
    case .compileError(let code, _, _, _):
        Issue.record("\(c.id): compiled (type \(program.resultType)) but expected \(code)", sourceLocation: sourceLocation)
        return
    case .resultType(let type):
        #expect(program.resultType.description == type, "\(c.id): type \(program.resultType)", sourceLocation: sourceLocation)
        return
    default:
        break
    }
    let activation = env.activation(bindings)
    do throws(EvalError) {
        let value = try program.evaluate(activation)
        switch c.expected {
        case .value(let json, let type):
            #expect(JSON.write(value) == json, "\(c.id): got \(JSON.write(value))", sourceLocation: sourceLocation)
            if let type {
                #expect(value.typeName == type, "\(c.id): runtime type \(value.typeName)", sourceLocation: sourceLocation)
            }
        case .evalError(let kind, _):
            Issue.record("\(c.id): evaluated to \(JSON.write(value)) but expected \(kind.rawValue)", sourceLocation: sourceLocation)
        default:
            break
        }
    } catch {
        guard case .evalError(let kind, let message) = c.expected else {
            Issue.record("\(c.id): unexpected \(error.kind.rawValue): \(error.message.en)", sourceLocation: sourceLocation)
            return
        }
        #expect(error.kind == kind, "\(c.id): kind \(error.kind.rawValue) (\(error.message.en))", sourceLocation: sourceLocation)
        if let message {
            #expect(error.message.en.contains(message), "\(c.id): message \"\(error.message.en)\"", sourceLocation: sourceLocation)
        }
        #expect(error.node != nil, "\(c.id): the error names the node that raised it", sourceLocation: sourceLocation)
        #expect(!error.message.zh.isEmpty, "\(c.id): message has a zh text", sourceLocation: sourceLocation)
    }
}

/// Ids must be unique across a table, so that a failure names exactly one case.
func duplicateIDs(_ cases: [EvalCase]) -> [String] {
    var seen: Set<String> = []
    return cases.compactMap { seen.insert($0.id).inserted ? nil : $0.id }
}
