import CovenantModel
import CovenantSource
import CovenantYAML

/// Collects diagnostics while reading YAML nodes by schema: every problem is recorded, reading
/// goes on, and the caller gets nil for values that could not be read.
struct Diagnostics {
    var items: [Diagnostic] = []

    mutating func error(_ message: (String, LocalizedText), at span: SourceSpan, help: LocalizedText? = nil) {
        items.append(Diagnostic(.error, code: message.0, message: message.1, span: span, help: help))
    }

    mutating func warning(_ code: String, _ message: LocalizedText, at span: SourceSpan?, help: LocalizedText? = nil) {
        items.append(Diagnostic(.warning, code: code, message: message, span: span, help: help))
    }

    var hasErrors: Bool { items.contains { $0.severity == .error } }
}

/// Reads one YAML mapping against a list of allowed keys, reporting unknown keys with a
/// did-you-mean and missing required keys.
struct MappingReader {
    let node: YAMLNode
    let context: String
    private(set) var pairs: [String: YAMLNode.Pair] = [:]
    let isMapping: Bool

    init(_ node: YAMLNode, context: String, allowed: [String], diagnostics: inout Diagnostics) {
        self.node = node
        self.context = context
        guard let mapping = node.mapping else {
            isMapping = false
            diagnostics.error(LoaderMessage.wrongType(expected: "a mapping", found: NodeReader.describe(node)), at: node.span)
            return
        }
        isMapping = true
        for pair in mapping {
            guard let key = pair.key.string else {
                diagnostics.error(LoaderMessage.wrongType(expected: "a string", found: NodeReader.describe(pair.key)), at: pair.key.span)
                continue
            }
            if !allowed.contains(key) {
                let help = Suggestion.closest(to: key, among: allowed).map {
                    LocalizedText(en: "did you mean `\($0)`?", zh: "是不是 `\($0)`？")
                } ?? LocalizedText(en: "allowed keys: " + allowed.map { "`\($0)`" }.joined(separator: ", "),
                                   zh: "允许的键：" + allowed.map { "`\($0)`" }.joined(separator: "、"))
                diagnostics.error(LoaderMessage.unknownKey(key, in: context), at: pair.key.span, help: help)
                continue
            }
            pairs[key] = pair
        }
    }

    /// The value of an optional key (nil when absent or explicitly null).
    func optional(_ key: String) -> YAMLNode? {
        guard let value = pairs[key]?.value, !value.isNull else { return nil }
        return value
    }

    /// The value of a required key, reporting it when missing.
    func required(_ key: String, _ diagnostics: inout Diagnostics, help: LocalizedText? = nil) -> YAMLNode? {
        if let value = optional(key) { return value }
        guard isMapping else { return nil }
        let span = pairs[key]?.value.span ?? node.span
        diagnostics.error(LoaderMessage.missingKey(key, in: context), at: span, help: help)
        return nil
    }

    /// The key node of a present key (for positions).
    func keySpan(_ key: String) -> SourceSpan? { pairs[key]?.key.span }
}

/// Typed reading of scalar nodes by schema (never by YAML 1.1 guessing).
enum NodeReader {
    static func describe(_ node: YAMLNode) -> String {
        switch node.kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            if node.isNull { return "null" }
            if s.style == .plain {
                if Int64(s.text) != nil { return "an integer" }
                if s.text == "true" || s.text == "false" { return "a bool" }
            }
            return "a string `\(s.text.count > 40 ? String(s.text.prefix(40)) + "…" : s.text)`"
        }
    }

    static func string(_ node: YAMLNode, _ d: inout Diagnostics) -> String? {
        guard let s = node.scalar, !node.isNull else {
            d.error(LoaderMessage.wrongType(expected: "a string", found: describe(node)), at: node.span)
            return nil
        }
        return s.text
    }

    /// The text of a plain scalar that spells an integer (an optional sign, then digits), whatever
    /// its size.
    static func integerText(_ node: YAMLNode) -> String? {
        guard let s = node.scalar, s.style == .plain, !node.isNull else { return nil }
        let digits = s.text.utf8.first == UInt8(ascii: "-") || s.text.utf8.first == UInt8(ascii: "+") ? s.text.utf8.dropFirst() : s.text.utf8[...]
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return s.text
    }

    static func int(_ node: YAMLNode, _ d: inout Diagnostics) -> Int? {
        if let text = integerText(node), Int(text) == nil || text.count >= 19 {
            d.error(LoaderMessage.integerOutOfRange(text), at: node.span)
            return nil
        }
        guard let s = node.scalar, s.style == .plain, let v = Int(s.text), s.text.count < 19 else {
            let help: LocalizedText? = node.scalar.map { s in
                s.style.isQuoted ? LocalizedText(en: "remove the quotes to write a number", zh: "数字请不要加引号") : nil
            } ?? nil
            d.error(LoaderMessage.wrongType(expected: "an integer", found: describe(node)), at: node.span, help: help)
            return nil
        }
        return v
    }

    /// A number of points: an integer within ±``PointsPolicy/maxMagnitude``.
    static func points(_ node: YAMLNode, _ d: inout Diagnostics) -> Int? {
        // An integer of any size past the bound is out of range as points (not merely too long).
        let text = integerText(node)
        let n = text.flatMap { Int($0) }
        guard text == nil || n.map(PointsPolicy.allows) == true else {
            d.error(LoaderMessage.pointsOutOfRange(text!), at: node.span,
                    help: .init(en: "a community's points are small numbers, e.g. `-2` or `5`", zh: "社区积分通常是较小的数，如 `-2` 或 `5`"))
            return nil
        }
        guard let n = int(node, &d) else { return nil }
        guard PointsPolicy.allows(n) else {
            d.error(LoaderMessage.pointsOutOfRange(String(n)), at: node.span,
                    help: .init(en: "a community's points are small numbers, e.g. `-2` or `5`", zh: "社区积分通常是较小的数，如 `-2` 或 `5`"))
            return nil
        }
        return n
    }

    static func bool(_ node: YAMLNode, _ d: inout Diagnostics) -> Bool? {
        if let s = node.scalar, s.style == .plain {
            if s.text == "true" { return true }
            if s.text == "false" { return false }
            if ["yes", "no", "on", "off", "y", "n", "True", "False", "TRUE", "FALSE", "Yes", "No"].contains(s.text) {
                d.error(LoaderMessage.wrongType(expected: "a bool", found: describe(node)), at: node.span,
                        help: .init(en: "write `true` or `false`", zh: "请写 `true` 或 `false`"))
                return nil
            }
        }
        d.error(LoaderMessage.wrongType(expected: "a bool", found: describe(node)), at: node.span)
        return nil
    }

    static func identifier(_ node: YAMLNode, _ d: inout Diagnostics) -> String? {
        guard let text = string(node, &d) else { return nil }
        let ok = !text.isEmpty && text.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "-" || $0 == "."
        } && text.unicodeScalars.first!.properties.isAlphabetic
        if !ok {
            d.error(LoaderMessage.badID(text), at: node.span,
                    help: .init(en: "ids start with a letter and use letters, digits, `_`, `-` and `.`",
                                zh: "id 以字母开头，只含字母、数字、`_`、`-` 和 `.`"))
            return nil
        }
        return text
    }

    /// A text in both languages: a plain string (used for both) or `{ zh: …, en: … }`.
    static func localized(_ node: YAMLNode, _ d: inout Diagnostics, context: String) -> LocalizedText? {
        if let s = node.scalar, !node.isNull { return LocalizedText(en: s.text, zh: s.text) }
        guard node.isMapping else {
            d.error(LoaderMessage.wrongType(expected: "a text or { zh, en }", found: describe(node)), at: node.span)
            return nil
        }
        let m = MappingReader(node, context: context, allowed: ["zh", "en"], diagnostics: &d)
        let zh = m.optional("zh").flatMap { string($0, &d) }
        let en = m.optional("en").flatMap { string($0, &d) }
        if zh == nil && en == nil {
            d.error(LoaderMessage.missingKey("zh", in: context), at: node.span,
                    help: .init(en: "give `zh`, `en` or both", zh: "请给出 `zh`、`en` 或两者"))
            return nil
        }
        return LocalizedText(en: en ?? zh!, zh: zh ?? en!)
    }

    static func list(_ node: YAMLNode, _ d: inout Diagnostics) -> [YAMLNode]? {
        if let items = node.sequence { return items }
        d.error(LoaderMessage.wrongType(expected: "a list", found: describe(node)), at: node.span)
        return nil
    }

    /// A list of strings; a single string is accepted as a list of one.
    static func stringList(_ node: YAMLNode, _ d: inout Diagnostics) -> [(String, YAMLNode)]? {
        if node.isScalar, let s = string(node, &d) { return [(s, node)] }
        guard let items = list(node, &d) else { return nil }
        return items.compactMap { item in string(item, &d).map { ($0, item) } }
    }

    static func enumValue<E: RawRepresentable & CaseIterable>(
        _ node: YAMLNode, _ type: E.Type, what: String, _ d: inout Diagnostics
    ) -> E? where E.RawValue == String {
        guard let text = string(node, &d) else { return nil }
        if let v = E(rawValue: text) { return v }
        let all = E.allCases.map(\.rawValue)
        let help = Suggestion.closest(to: text, among: all).map {
            LocalizedText(en: "did you mean `\($0)`?", zh: "是不是 `\($0)`？")
        } ?? LocalizedText(en: "one of " + all.map { "`\($0)`" }.joined(separator: ", "),
                           zh: "可选值：" + all.map { "`\($0)`" }.joined(separator: "、"))
        d.error(LoaderMessage.badEnum(text, what), at: node.span, help: help)
        return nil
    }
}
