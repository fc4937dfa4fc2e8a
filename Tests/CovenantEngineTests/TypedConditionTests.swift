import CovenantCEL
@testable import CovenantEngine
import CovenantLoader
import CovenantModel
import CovenantSource
import Foundation
import Testing

/// Typed conditions (facts read into slots straight from a record's bytes) must never answer
/// otherwise than the general evaluator: where they answer at all, the answer is the general one,
/// and wherever the general evaluator reports an error they leave the record to it.
@Suite struct TypedConditionTests {
    static let yaml = """
        covenant: 1
        id: typed
        timezone: Asia/Shanghai
        effective: 2026-01-01
        zones: [corridor, stairwell, lobby, home]
        categories:
          t:
            facts: { flag: bool, n: int, m: "int?", x: double, y: "double?", s: string, o: "string?", z: zone,
                     tags: "[string]", at: "timestamp?" }
        rules:
          - { id: r1, title: { zh: 一, en: One }, category: t, violation: facts.flag }
          # Reads every fact the typed subset can read, so that the judge keeps them all in slots.
          - id: r2
            title: { zh: 二, en: Two }
            category: t
            violation: >-
              facts.n > 0 && has(facts.m) && facts.x > 0.0 && has(facts.y) && facts.s == "" && has(facts.o) && facts.z == "home"
        """

    /// Conditions in the typed subset.
    static let typed: [String] = [
        "true", "false", "facts.flag", "!facts.flag", "has(facts.m)", "has(facts.o)", "!has(facts.y)",
        "facts.n > 3", "facts.n >= 3", "facts.n < 3", "facts.n <= 3", "facts.n == 3", "facts.n != 3",
        "facts.m > 2", "has(facts.m) && facts.m > 2", "has(facts.m) && facts.m > 2 || facts.n >= 5",
        "facts.m > 2 || facts.n >= 5", "facts.n >= 5 || facts.m > 2", "facts.m > 2 && facts.n >= 5",
        "facts.n >= 5 && facts.m > 2",
        "facts.n * 2 + 1 > 10", "facts.n - facts.m < 0", "facts.n * facts.n > 100", "facts.n / 2 == 1",
        "facts.n % 3 == 1", "facts.n / facts.m > 1", "facts.n % facts.m == 0", "-facts.n < 0",
        "facts.n * 4611686018427387904 > 0", "facts.n + 9223372036854775807 > 0",
        "facts.x > 1.5", "facts.x > 1", "1 < facts.x", "facts.x == 2.0", "facts.x != 2.0", "facts.x * 2.0 - 1.0 >= 3.5",
        "facts.x / 0.0 > 1.0", "facts.x / facts.x == 1.0", "facts.x / facts.x != 1.0", "-facts.x < 0.0",
        "facts.y > 0.5", "has(facts.y) ? facts.y > 0.5 : facts.x > 0.5",
        #"facts.s == "楼道""#, #"facts.s != "a""#, #"facts.s < "m""#, #"facts.s >= "b""#,
        #"facts.s.startsWith("res")"#, #"facts.s.endsWith("道")"#, #"facts.s.contains("again")"#,
        #"facts.s.contains("")"#, "size(facts.s) > 3", "facts.s.size() == 2", "size(facts.o) > 0",
        #"facts.o == "x""#, #"facts.z in ["corridor", "stairwell", "lobby"]"#, #"!(facts.z in ["home"])"#,
        #"facts.s in []"#, "facts.n in [1, 2, 3]", "facts.m in [4]", #"facts.z == facts.s"#, "facts.flag == true",
        "facts.flag != (facts.n > 2)", "local.hour >= 22 || local.hour < 6", "local.weekday == 6",
        "local.month * 100 + local.day > 715", #"local.time >= "22:00" || local.time < "06:00""#,
        #"local.date == "2026-07-01""#, "local.year == 2026 && local.minute + local.second >= 0",
        "facts.flag ? facts.n > 1 : facts.m > 1",
        "int(facts.x * 2.0) >= 4", "int(facts.x) == 1", "int(-facts.x) == 0", "int(facts.n) == 3", "double(facts.n) > 1.5",
        "double(facts.x) == facts.x", "int(facts.x * 1e300) > 0",
    ]

    /// Conditions outside it: their category is judged by the general evaluator.
    static let untyped: [String] = [
        #""t1" in facts.tags"#, "size(facts.tags) > 0", "facts.tags.exists(t, t == \"a\")", "uint(facts.n) > 1u",
        #"facts.s.matches("^a")"#, #"incident.id == "x""#, #"facts.s + "x" == "ax""#, "facts.n > 1.5",
        "has(facts.at) && facts.at > timestamp(\"2026-01-01T00:00:00Z\")", "facts.flag < true",
        #"facts.s in ["a", facts.o]"#, "[1, 2].size() == facts.n", "string(facts.n) == \"3\"", "facts.x > 9007199254740993 || true",
    ]

    /// Facts of records, valid for the category (absent optionals, extremes, non-ASCII text).
    static let facts: [String] = [
        #"{"flag":true,"n":3,"m":4,"x":2.0,"y":0.75,"s":"楼道","o":"x","z":"corridor","tags":["t1"]}"#,
        #"{"flag":false,"n":5,"x":1.5,"s":"resident reported again","z":"home","tags":[]}"#,
        #"{"flag":true,"n":0,"m":0,"x":0,"s":"","z":"lobby","tags":["a","b"],"y":null,"o":null}"#,
        #"{"flag":false,"n":-7,"m":-2,"x":-0.5,"s":"b","z":"stairwell","tags":[],"at":"2026-05-01T00:00:00Z"}"#,
        #"{"flag":true,"n":999999999999999999,"m":2,"x":1e300,"y":-1e-300,"s":"again and again","z":"corridor","tags":[]}"#,
        #"{"flag":true,"n":-999999999999999999,"m":-1,"x":1,"s":"res","z":"corridor","tags":[]}"#,
        #"{"flag":false,"n":2,"m":3,"x":9007199254740993,"s":"m","o":"","z":"home","tags":[]}"#,
        #"{"n":1,"flag":true,"x":3,"s":"zz","z":"corridor","tags":[],"m":1}"#,
    ]

    static let times = ["2026-07-01T23:30:00+08:00", "2026-07-04T05:59:59+08:00", "2026-07-16T12:00:00Z"]

    static func line(_ facts: String, _ time: String) -> [UInt8] {
        Array(#"{"id":"I-1","occurred_at":"\#(time)","household":"H-1","category":"t","facts":\#(facts)}"#.utf8)
    }

    /// Every condition, against every record: the typed answer (when there is one) is the general one.
    @Test func typedAnswersAreTheGeneralAnswers() throws {
        let convention = convention(Self.yaml)
        let category = try #require(convention.categories["t"])
        let environment = Scopes.conditionEnvironment(facts: category.factsType, roster: convention.roster)
        let judge = Judge(convention: convention, roster: nil)
        let fastPath = judge.fastPath
        var layout: [String: (slot: Int, type: FactType)] = [:]
        for (i, f) in category.facts.enumerated() { layout[f.name] = (i, f.type) }

        var answered = 0, errors = 0, total = 0
        for text in Self.typed {
            let program = try environment.compile(text, expecting: .bool)
            var compiler = TypedCompiler(checked: program.checked, facts: layout)
            let compiled = compiler.bool(program.checked.root)
            let code = try #require(compiled, "`\(text)` compiles to typed code")
            for facts in Self.facts {
                for time in Self.times {
                    let bytes = Self.line(facts, time)
                    let origin = RecordOrigin(file: "t", line: 1)
                    let incident = try #require(fastPath.decode(bytes[...], origin: origin), "\(facts) decodes")
                    let general: Result<Value, EvalError> = Result { () throws(EvalError) in
                        try program.evaluate(environment.activation([
                            "facts": .map(incident.facts), "incident": .map(incident.value),
                            "local": .map(Judge.localValue(incident.local)),
                        ]))
                    }
                    let answer: Bool?? = bytes.withUnsafeBufferPointer { buffer in
                        withUnsafeTemporaryAllocation(of: FactSlot.self, capacity: fastPath.maxFacts) { slots -> Bool?? in
                            var s = JSONScanner(bytes: buffer)
                            var plan: CategoryPlan?
                            guard let decoded = fastPath.decode(&s, origin: origin, slots: slots, slotted: &plan), plan != nil else { return nil }
                            #expect(decoded.facts.count == 0, "slotted facts stay out of the map")
                            return .some(code(TypedInput(slots: UnsafeBufferPointer(slots), bytes: buffer, local: decoded.local)))
                        }
                    }
                    let typed = try #require(answer, "\(facts) decodes into slots")
                    total += 1
                    switch general {
                    case .success(.bool(let b)):
                        if let typed {
                            answered += 1
                            #expect(typed == b, "`\(text)` on \(facts) at \(time): typed \(typed), general \(b)")
                        }
                    case .success(let v):
                        Issue.record("`\(text)` gave \(v)")
                    case .failure(let e):
                        errors += 1
                        #expect(typed == nil, "`\(text)` on \(facts) at \(time): typed \(String(describing: typed)), general error \(e.message.en)")
                    }
                }
            }
        }
        // It answers for most, and the table reaches the errors it must leave alone.
        #expect(answered > total * 3 / 4, "typed code answered \(answered) of \(total)")
        #expect(errors > 50, "the table holds evaluations that fail (\(errors))")
    }

    @Test(arguments: untyped)
    func outsideTheSubsetDoesNotCompile(_ text: String) throws {
        let convention = convention(Self.yaml)
        let category = try #require(convention.categories["t"])
        let environment = Scopes.conditionEnvironment(facts: category.factsType, roster: convention.roster)
        let program = try environment.compile(text, expecting: .bool)
        var layout: [String: (slot: Int, type: FactType)] = [:]
        for (i, f) in category.facts.enumerated() { layout[f.name] = (i, f.type) }
        var compiler = TypedCompiler(checked: program.checked, facts: layout)
        let compiled = compiler.bool(program.checked.root)
        #expect(compiled == nil)
    }

    /// A category any of whose conditions is outside the subset has no typed code at all; the
    /// facts a category's typed code reads are the ones kept in slots.
    @Test func aCategoryIsTypedWhole() throws {
        let mixed = convention(Self.yaml + """

              - { id: r3, title: { zh: 三, en: Three }, category: t, violation: '"t1" in facts.tags' }
            """)
        #expect(Judge(convention: mixed, roster: nil).plans["t"]?.typed == nil)
        let judge = Judge(convention: convention(Self.yaml), roster: nil)
        #expect(judge.plans["t"]?.typed?.slotsRead == Set(0...7))
        #expect(judge.fastPath.categories["t"]?.kept == Array(repeating: true, count: 8) + [false, false])
    }

    /// The shipped conventions' conditions fall inside the subset, and the engine's verdicts are
    /// the same with typed conditions as without, over the samples, the incident fuzz corpus and
    /// their damaged variants.
    @Test(arguments: ["rules/zh/laoshiqu.yaml", "rules/en/maple-court-hoa.yaml"])
    func verdictsAreTheSameWithTypedConditions(_ path: String) throws {
        let convention = try #require(FastPathTests.convention(path))
        let judge = Judge(convention: convention, roster: nil)
        let typed = judge.plans.values.filter { $0.typed != nil }.count
        #expect(typed * 2 >= judge.plans.values.filter { $0.category.kind != .deed }.count,
                "most categories with rules have typed conditions (\(typed) of \(judge.plans.count))")
        let lines = FastPathTests.lines + FastPathTests.lines.flatMap(FastPathTests.variants)
        let records = lines.enumerated().map { IncidentRecord(origin: RecordOrigin(file: "t", line: $0.offset + 1), validUTF8JSON: $0.element) }
        var engine = Engine(convention: convention, workers: 1)
        let a = engine.evaluate(records).map { "\($0)" }
        engine.typedConditions = false
        let b = engine.evaluate(records).map { "\($0)" }
        #expect(a.count == records.count)
        #expect(a == b)
    }
}
