import CovenantCEL
import CovenantModel
import CovenantSource

/// One condition compiled to typed code, with one record's facts already in slots: what the
/// benchmark times as "evaluation on a pre-parsed incident" for the conditions the engine judges
/// this way (see ``TypedCompiler``).
package final class TypedConditionProbe {
    private let code: TypedBool
    private let slots: [FactSlot]
    private let bytes: [UInt8]
    private let local: LocalDateTime

    /// Nil when the condition does not check, does not compile to typed code, or `factsJSON` is
    /// not a valid facts object of the category.
    package init?(category: Category, condition: String, factsJSON: String, local: LocalDateTime, zones: [String] = []) {
        let environment = Scopes.conditionEnvironment(facts: category.factsType, roster: RosterSchema())
        guard let program = try? environment.compile(condition, expecting: .bool) else { return nil }
        var layout: [String: (slot: Int, type: FactType)] = [:]
        for (i, f) in category.facts.enumerated() { layout[f.name] = (i, f.type) }
        var compiler = TypedCompiler(checked: program.checked, facts: layout)
        guard let code = compiler.bool(program.checked.root) else { return nil }
        let convention = Convention(
            id: "probe", title: LocalizedText(en: "probe", zh: "probe"), version: 1, timezone: "UTC", effective: Effective(),
            points: nil, zones: zones, groups: [:], authorities: [:], roster: RosterSchema(), categories: [category.id: category],
            rules: [], credits: [], recognitions: [], exemptions: [], files: [])
        let fastPath = IncidentFastPath(parser: IncidentParser(convention: convention))
        guard let info = fastPath.categories[category.id] else { return nil }
        let bytes = Array(factsJSON.utf8)
        var slots = [FactSlot](repeating: .absent, count: max(1, category.facts.count))
        let decoded = bytes.withUnsafeBufferPointer { buffer in
            slots.withUnsafeMutableBufferPointer { out in
                var s = JSONScanner(bytes: buffer)
                return fastPath.slotFacts(&s, info, into: out, keepingAll: true) && s.atEnd()
            }
        }
        guard decoded else { return nil }
        self.code = code
        self.slots = slots
        self.bytes = bytes
        self.local = local
    }

    /// Evaluates the condition `iterations` times; how many times it was true (nil answers — the
    /// general evaluator's to give — count as false).
    package func run(_ iterations: Int) -> Int {
        slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { bytes in
                let input = TypedInput(slots: slots, bytes: bytes, local: local)
                var trues = 0
                for _ in 0..<iterations where code(input) == true { trues += 1 }
                return trues
            }
        }
    }
}
