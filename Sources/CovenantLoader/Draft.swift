import CovenantModel
import CovenantSource
import CovenantYAML

/// One parsed file of a convention (the root file or an import) with its YAML and text.
struct LoadedFile {
    let path: String
    let root: YAMLNode
    let source: SourceText
    let isRoot: Bool
}

/// What the loader has gathered so far, across the root file and its imports.
struct Draft {
    var id = ""
    var title = LocalizedText(en: "", zh: "")
    var version = 1
    var timezone = "UTC"
    var effective = Effective()
    var points: PointsPolicy?
    var zones: [String] = []
    var zoneSpans: [String: SourceSpan] = [:]
    var groups: [String: Group] = [:]
    var authorities: [String: Authority] = [:]
    var roster = RosterSchema()
    var categories: [String: Category] = [:]
    var categorySpans: [String: SourceSpan] = [:]
    /// Categories a rule or credit names, whether or not the rule or credit loads (an error in one
    /// must not make its category look unused too).
    var namedCategories: Set<String> = []
    var rules: [Rule] = []
    var credits: [Credit] = []
    var recognitions: [Recognition] = []
    var exemptions: [Exemption] = []
    var tests: [(file: String, node: YAMLNode)] = []
    var ids: [String: SourceSpan] = [:]
    /// References to rule ids (vetoes, exemptions), resolved once every rule is read.
    var ruleRefs: [(String, SourceSpan)] = []

    /// Registers an id of a rule, credit, recognition or exemption; reports a duplicate.
    mutating func claim(_ id: String, kind: String, span: SourceSpan, _ d: inout Diagnostics) -> Bool {
        if let first = ids[id] {
            d.error(LoaderMessage.duplicateID(kind, id), at: span,
                    help: .init(en: "first defined at \(first)", zh: "首次定义于 \(first)"))
            return false
        }
        ids[id] = span
        return true
    }
}

/// The keys a convention file may hold, and which only the root file may set.
enum Keys {
    static let root = ["covenant", "id", "title", "timezone", "effective", "imports", "points", "zones", "groups",
                       "authorities", "roster", "categories", "rules", "credits", "recognitions", "exemptions", "tests"]
    static let rootOnly: Set<String> = ["id", "title", "timezone", "effective", "points"]
    static let category = ["title", "kind", "facts"]
    static let rule = ["id", "title", "category", "group", "severity", "applies", "violation", "points", "evidence",
                       "dedupe", "escalation", "effective", "publish", "kind", "description", "cure", "on_not_cured"]
    static let escalation = ["window", "steps"]
    static let step = ["action", "points", "publish", "refer_to", "disqualify"]
    static let effective = ["from", "until"]
    static let points = ["initial", "period"]
    static let credit = ["id", "title", "category", "when", "points", "cap", "caps", "effective"]
    static let cap = ["amount", "per"]
    static let recognition = ["id", "title", "of", "period", "when", "veto", "rank", "limit", "limit_per_grid"]
    static let veto = ["rules", "severities"]
    static let exemption = ["id", "rules", "rule", "household", "when", "reason", "until", "from"]
    static let roster = ["household", "building"]
    static let named = ["title"]
}
