import CovenantModel
import CovenantSource

/// Every message the loader emits, in zh and en, with its stable code (docs/diagnostics.md).
enum LoaderMessage {
    static func unknownKey(_ key: String, in context: String) -> (String, LocalizedText) {
        ("L0001", .init(en: "unknown key `\(key)` in \(context)", zh: "\(zhContext(context))中有未知的键 `\(key)`"))
    }

    static func missingKey(_ key: String, in context: String) -> (String, LocalizedText) {
        ("L0002", .init(en: "missing required key `\(key)` in \(context)", zh: "\(zhContext(context))缺少必需的键 `\(key)`"))
    }

    static func wrongType(expected: String, found: String) -> (String, LocalizedText) {
        ("L0003", .init(en: "expected \(expected), found \(found)", zh: "应为\(zhType(expected))，实际为\(zhType(found))"))
    }

    static func badDuration(_ text: String) -> (String, LocalizedText) {
        ("L0004", .init(en: "invalid duration `\(text)`", zh: "无效的时长 `\(text)`"))
    }

    static func badDate(_ text: String) -> (String, LocalizedText) {
        ("L0005", .init(en: "invalid date `\(text)`", zh: "无效的日期 `\(text)`"))
    }

    static func duplicateID(_ kind: String, _ id: String) -> (String, LocalizedText) {
        ("L0006", .init(en: "duplicate \(kind) id `\(id)`", zh: "\(zhContext(kind)) id `\(id)` 重复"))
    }

    static func unknownReference(_ kind: String, _ name: String) -> (String, LocalizedText) {
        let code: String
        switch kind {
        case "category": code = "L0007"
        case "zone": code = "L0008"
        case "group": code = "L0009"
        case "authority": code = "L0018"
        default: code = "L0022"
        }
        return (code, .init(en: "unknown \(kind) `\(name)`", zh: "未知的\(zhContext(kind)) `\(name)`"))
    }

    static func emptyLadder() -> (String, LocalizedText) {
        ("L0011", .init(en: "escalation has no steps", zh: "升级阶梯没有任何步骤"))
    }

    static func unsupportedVersion(_ v: String) -> (String, LocalizedText) {
        ("L0012", .init(en: "unsupported covenant version `\(v)`", zh: "不支持的 covenant 版本 `\(v)`"))
    }

    static func importOutsideRoot(_ path: String) -> (String, LocalizedText) {
        ("L0013", .init(en: "import `\(path)` is outside the rule root", zh: "导入的 `\(path)` 位于规则根目录之外"))
    }

    static func importCycle(_ chain: String) -> (String, LocalizedText) {
        ("L0014", .init(en: "import cycle: \(chain)", zh: "循环导入：\(chain)"))
    }

    static func importNotFound(_ path: String, _ reason: String) -> (String, LocalizedText) {
        ("L0015", .init(en: "cannot import `\(path)`: \(reason)", zh: "无法导入 `\(path)`：\(reason)"))
    }

    static func unknownFactType(_ t: String) -> (String, LocalizedText) {
        ("L0016", .init(en: "unknown fact type `\(t)`", zh: "未知的事实类型 `\(t)`"))
    }

    static func badID(_ id: String) -> (String, LocalizedText) {
        ("L0017", .init(en: "invalid id `\(id)`", zh: "无效的 id `\(id)`"))
    }

    static func badEnum(_ value: String, _ what: String) -> (String, LocalizedText) {
        ("L0019", .init(en: "invalid \(what) `\(value)`", zh: "无效的\(zhContext(what)) `\(value)`"))
    }

    static func unknownTimeZone(_ tz: String) -> (String, LocalizedText) {
        ("L0020", .init(en: "unknown time zone `\(tz)`", zh: "未知的时区 `\(tz)`"))
    }

    static func emptyRange(_ from: String, _ until: String) -> (String, LocalizedText) {
        ("L0021", .init(en: "effective range is empty: `from` \(from) is not before `until` \(until)",
                        zh: "生效区间为空：`from` \(from) 不早于 `until` \(until)"))
    }

    static func notARoot() -> (String, LocalizedText) {
        ("L0023", .init(en: "file has no `id`: a convention file needs `covenant` and `id` (a file without them can only be imported)",
                        zh: "文件没有 `id`：公约文件需要 `covenant` 与 `id`（没有它们的文件只能被导入）"))
    }

    static func negative(_ what: String) -> (String, LocalizedText) {
        ("L0024", .init(en: "\(what) must be a positive whole number", zh: "\(zhContext(what))必须是正整数"))
    }

    static func pointsOutOfRange(_ points: String) -> (String, LocalizedText) {
        let bound = PointsPolicy.maxMagnitudeText
        return ("L0030", .init(en: "\(points) points is out of range: points lie between −\(bound) and \(bound)",
                               zh: "积分 \(points) 超出范围：积分须在 −\(bound) 到 \(bound) 之间"))
    }

    static func integerOutOfRange(_ text: String) -> (String, LocalizedText) {
        ("L0031", .init(en: "the integer \(text) is out of range: integers here have at most 18 digits",
                        zh: "整数 \(text) 超出范围：此处的整数至多 18 位"))
    }

    static func zhContext(_ context: String) -> String {
        let table = [
            "the convention": "公约", "a rule": "规则", "a category": "类别", "a step": "阶梯步骤",
            "escalation": "升级阶梯", "a credit": "积分项", "a recognition": "表彰项", "an exemption": "豁免",
            "rule": "规则", "category": "类别", "zone": "区域", "group": "分组", "authority": "移交机关",
            "credit": "积分项", "recognition": "表彰项", "exemption": "豁免", "severity": "严重程度",
            "publish level": "公开级别", "period": "周期", "category kind": "类别种类", "subject": "对象",
            "evidence": "证据要求", "effective": "生效期", "points": "积分设置", "roster": "名册",
            "a cap": "上限", "count": "数量", "amount": "数量", "rank key": "排序键", "limit": "名额",
        ]
        return table[context] ?? context
    }

    static func zhType(_ t: String) -> String {
        let table = [
            "a mapping": "映射", "a list": "列表", "a string": "字符串", "an integer": "整数", "a bool": "布尔值",
            "a scalar": "标量", "a number": "数字", "null": "空值", "a date (YYYY-MM-DD)": "日期（YYYY-MM-DD）",
            "a duration such as 90d or 1h30m": "时长（如 90d 或 1h30m）",
            "a text or { zh, en }": "文本或 { zh, en }", "an expression (a string)": "表达式（字符串）",
            "an evidence type or { type: count }": "证据类型或 { 类型: 数量 }",
        ]
        if let zh = table[t] { return zh }
        // `NodeReader.describe` quotes what it found: "a string `-x`".
        if t.hasPrefix("a string `") { return "字符串 " + t.dropFirst("a string ".count) }
        return t
    }
}
