import CovenantCEL
import CovenantModel
import CovenantSource

/// Finds string literals compared with a zone — `facts.location == "stairwel"`,
/// `facts.location in ["corridor", "stairwel"]`, `incident.where.zone != "hom"` — that are not
/// declared zones: such a condition would silently never match.
enum ZoneLiterals {
    static func check(_ condition: Condition, zoneFacts: Set<String>, zones: [String], _ d: inout Diagnostics) {
        let declared = Set(zones)
        condition.program.checked.root.forEach { node in
            guard case .call(let function, nil, let args) = node.kind, args.count == 2,
                  ["_==_", "_!=_", "@in"].contains(function) else { return }
            var zoneSide: Expr?
            var literalSide: Expr?
            for (a, b) in [(args[0], args[1]), (args[1], args[0])] where isZone(a, zoneFacts) {
                zoneSide = a
                literalSide = b
            }
            guard zoneSide != nil, let literalSide else { return }
            var literals: [Expr] = []
            switch literalSide.kind {
            case .literal(.string): literals = [literalSide]
            case .list(let items) where function == "@in": literals = items
            default: break
            }
            for literal in literals {
                guard case .literal(.string(let zone)) = literal.kind, !declared.contains(zone) else { continue }
                let help = Suggestion.closest(to: zone, among: zones).map {
                    LocalizedText(en: "did you mean `\($0)`?", zh: "是不是 `\($0)`？")
                } ?? LocalizedText(en: "declared zones: " + zones.joined(separator: ", "), zh: "已声明的区域：" + zones.joined(separator: "、"))
                let issue = CELIssue(code: "L0008", message: LoaderMessage.unknownReference("zone", zone).1,
                                     start: literal.start, end: literal.end, help: help)
                d.items.append(condition.source.diagnostic(for: issue))
            }
        }
    }

    /// `facts.<zone fact>` or `incident.where.zone`.
    static func isZone(_ e: Expr, _ zoneFacts: Set<String>) -> Bool {
        guard case .select(let operand, let field, false) = e.kind else { return false }
        if case .ident("facts") = operand.kind { return zoneFacts.contains(field) }
        if field == "zone", case .select(let inner, "where", false) = operand.kind, case .ident("incident") = inner.kind { return true }
        return false
    }
}
