/// The benchmark workload, generated deterministically: a 40-rule convention over 8 categories
/// whose conditions use `in`, `has()`, `size()`, `contains`/`startsWith`, arithmetic and hour
/// windows, and N incidents of about 360 bytes each with optional facts present only sometimes.
enum Workload {
    static let categories = ["ebike", "pet", "waste", "throw", "corridor", "noise", "neighbour", "parking"]
    static let zones = ["corridor", "stairwell", "lobby", "road", "green", "playground", "home", "roof", "square", "kiosk"]

    /// Rules per category: each incident meets this many (an `applies` and a `violation` each).
    static var rulesPerCategory: Int { templates.count }

    static let templates = [
        #"facts.location in ["corridor", "stairwell", "lobby"] && facts.flag"#,
        #"has(facts.extra) && facts.extra > 2 || facts.count >= 5"#,
        #"size(facts.note) > 20 && facts.note.contains("again")"#,
        #"local.hour >= 22 || local.hour < 6"#,
        #"facts.minutes * 2 + facts.count > 60 && facts.weight > 1.5"#,
    ]

    static func convention() -> String {
        var y = """
            covenant: 1
            id: bench
            title: { zh: 基准公约, en: Benchmark convention }
            timezone: Asia/Shanghai
            effective: 2026-01-01
            points: { initial: 100, period: quarter }
            zones: [\(zones.joined(separator: ", "))]
            groups: [\(categories.joined(separator: ", "))]
            categories:

            """
        for c in categories {
            y += "  \(c):\n    title: { zh: \(c), en: \(c) }\n    facts: { location: zone, count: int, minutes: int, weight: double, "
                + "note: string, flag: bool, tags: \"[string]\", extra: \"int?\", severe: \"bool?\" }\n"
        }
        y += "rules:\n"
        var n = 0
        for c in categories {
            for (k, t) in templates.enumerated() {
                n += 1
                let applies = k == 2 ? #"facts.note.startsWith("resident")"# : (k == 4 ? #"!(facts.location in ["home", "roof"])"# : "true")
                y += """
                      - id: \(c).r\(k + 1)
                        title: { zh: 规则\(n), en: Rule \(n) }
                        category: \(c)
                        group: \(c)
                        severity: \(["minor", "major", "medium", "high", "low"][k])
                        applies: '\(applies)'
                        violation: '\(t)'
                        dedupe: 2h
                        escalation:
                          window: 90d
                          steps:
                            - { action: { zh: 劝导, en: Persuade }, points: -1 }
                            - { action: { zh: 警告, en: Warn }, points: -3 }
                            - { action: { zh: 约谈, en: Talk }, points: -5, refer_to: police }

                    """
            }
        }
        return y
    }

    /// A seeded generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// How the incidents of a workload are ordered.
    enum Order: String {
        /// By `occurred_at`, as a reporting system logs them over a quarter (one every few seconds).
        case time
        /// At random times, in no order: the worst case, where offences can only be numbered
        /// once every incident has been seen.
        case shuffled
    }

    /// Writes N incidents as NDJSON through `write`. Both orders draw the same facts; only the
    /// times differ.
    static func incidents(_ count: Int, seed: UInt64 = 42, order: Order = .time, write: (String) -> Void) {
        var r = Random(state: seed)
        func p(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        // Ids of eight digits at least, so that their order is the order of the records.
        func id(_ i: Int) -> String { let d = String(i); return String(repeating: "0", count: max(0, 8 - d.count)) + d }
        var buffer = ""
        buffer.reserveCapacity(1 << 20)
        let notes = ["resident reported again", "resident says ok", "patrol note", "again and again the same issue here",
                     "resident complaint about noise at night"]
        for i in 0..<count {
            var month = 7 + r.int(3)
            var day = 1 + r.int(28)
            var hour = r.int(24)
            var minute = r.int(60)
            var second = 0
            if order == .time {
                // Spread over the same 84 days (July to September, days 1–28), in order.
                let t = i * (84 * 86_400) / max(count, 1)
                let d = t / 86_400
                month = 7 + d / 28
                day = 1 + d % 28
                hour = t % 86_400 / 3_600
                minute = t % 3_600 / 60
                second = t % 60
            }
            let category = categories[r.int(categories.count)]
            let building = 1 + r.int(28)
            let household = "H-\(building)-\(1 + r.int(4))-\(1 + r.int(6))0\(1 + r.int(2))"
            let kind = r.int(10) < 7 ? "report" : "inspection"
            var facts = "\"location\":\"\(zones[r.int(zones.count)])\",\"count\":\(r.int(8)),\"minutes\":\(r.int(40)),"
                + "\"weight\":\(r.int(40)).\(r.int(10)),\"note\":\"\(notes[r.int(notes.count)])\",\"flag\":\(r.int(2) == 0),"
                + "\"tags\":[\"t\(r.int(5))\"]"
            if r.int(3) == 0 { facts += ",\"extra\":\(r.int(6))" }
            if r.int(4) == 0 { facts += ",\"severe\":\(r.int(2) == 0)" }
            buffer += "{\"id\":\"B-\(id(i))\",\"kind\":\"\(kind)\",\"occurred_at\":\"2026-\(p(month))-\(p(day))T\(p(hour)):\(p(minute)):\(p(second))+08:00\","
                + "\"household\":\"\(household)\",\"where\":{\"grid\":\"G0\(1 + building % 6)\",\"building\":\"\(building)\",\"zone\":\"corridor\"},"
                + "\"category\":\"\(category)\",\"facts\":{\(facts)}}\n"
            if buffer.utf8.count > 1 << 20 {
                write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        write(buffer)
    }
}
