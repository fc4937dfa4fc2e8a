import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantLoader
import CovenantModel
import CovenantSource
import CovenantYAML
import Foundation
import Testing

/// Replays every seed (`Fuzz/corpus/<target>/`) and every saved finding (`Fuzz/regressions/<target>/`)
/// through the same calls as the libFuzzer targets in `Sources/Fuzz/` — without a sanitizer, in the
/// ordinary test run — and expects each to return: no trap, no crash, and (a minute per input at
/// most) no hang. `scripts/fuzz.sh` explains how findings are minimized and saved.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The inputs of one fuzz target, as paths relative to the repository root, sorted.
    static func inputs(_ target: String) -> [String] {
        var out: [String] = []
        for folder in ["Fuzz/corpus/\(target)", "Fuzz/regressions/\(target)"] {
            let dir = root.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for name in names where !name.hasPrefix(".") && !name.hasPrefix("README") {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path, isDirectory: &isDirectory),
                   !isDirectory.boolValue {
                    out.append("\(folder)/\(name)")
                }
            }
        }
        return out.sorted()
    }

    struct Unreadable: Error { var path: String }

    /// A file's bytes, read with the C library: Foundation's `Data(contentsOf:)` leaks its 4 KB read
    /// buffer on an empty file (swift-foundation 6.3.1), which `scripts/sanitizers.sh` would report.
    static func bytes(_ path: String) throws -> [UInt8] {
        guard let file = fopen(root.appendingPathComponent(path).path, "rb") else { throw Unreadable(path: path) }
        defer { fclose(file) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    @Test func everyTargetHasSeeds() {
        for target in ["FuzzYAML", "FuzzLoader", "FuzzExpression", "FuzzIncidents"] {
            #expect(Self.inputs(target).count >= 20, "Fuzz/corpus/\(target) has too few seeds")
        }
    }

    // MARK: - FuzzYAML (Sources/Fuzz/FuzzYAML)

    @Test(.timeLimit(.minutes(1)), arguments: inputs("FuzzYAML"))
    func yaml(_ path: String) throws {
        let bytes = try Self.bytes(path)
        let tight = YAMLLimits(maxFileBytes: 64 * 1024, maxDepth: 8, maxAliasExpansion: 64, maxScalarBytes: 256)
        for limits in [YAMLLimits.default, tight] {
            do {
                let stream = try YAMLReader.parseStream(bytes: bytes, file: "fuzz.yaml", limits: limits)
                var stack = stream.documents.map(\.root)
                while let node = stack.popLast() {
                    switch node.kind {
                    case .scalar(let s): _ = s.text.unicodeScalars.count
                    case .sequence(let items): stack.append(contentsOf: items)
                    case .mapping(let pairs): for p in pairs { stack.append(p.key); stack.append(p.value) }
                    }
                }
            } catch {
                #expect(!error.rendered().isEmpty)
                _ = error.rendered(with: DiagnosticRenderer(language: .zh))
            }
        }
    }

    // MARK: - FuzzLoader (Sources/Fuzz/FuzzLoader)

    @Test(.timeLimit(.minutes(1)), arguments: inputs("FuzzLoader"))
    func loader(_ path: String) throws {
        let bytes = try Self.bytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        let result = ConventionLoader.load(text: text, name: "fuzz.yaml")
        _ = DiagnosticRenderer().render(result.diagnostics, sources: result.sources)
        _ = DiagnosticRenderer(language: .zh).render(result.diagnostics, sources: result.sources)
        guard let convention = result.convention else { return }
        let engine = Engine(convention: convention)
        let records = Self.sampleRecords(for: convention)
        #expect(engine.evaluate(records).count == records.count)
        if let first = records.first { _ = engine.explain(first, history: Array(records.dropFirst())) }
    }

    /// As in FuzzLoader: two reports and an inspection per category (at most 8), every fact present.
    static func sampleRecords(for convention: Convention) -> [IncidentRecord] {
        func sample(_ type: FactType, zone: String) -> Value {
            switch type {
            case .bool: return .bool(true)
            case .int: return .int(3)
            case .double: return .double(2.5)
            case .string: return .string("corridor")
            case .zone: return .string(zone)
            case .timestamp: return .string("2026-07-01T20:00:00+08:00")
            case .duration: return .string("1h30m")
            case .list(let element): return .list([sample(element, zone: zone), sample(element, zone: zone)])
            }
        }
        let zone = convention.zones.first ?? "corridor"
        var out: [IncidentRecord] = []
        for id in convention.categories.keys.sorted().prefix(8) {
            let category = convention.categories[id]!
            var facts = MapValue()
            for fact in category.facts { facts.insert(.string(fact.name), sample(fact.type, zone: zone)) }
            for (n, (kind, time)) in [("report", "2026-07-01T21:30:00+08:00"), ("report", "2026-07-02T06:15:00+08:00"),
                                      ("inspection", "2026-07-03T12:00:00+08:00")].enumerated() {
                var r = MapValue()
                r.insert(.string("id"), .string("FUZZ-\(id)-\(n)"))
                r.insert(.string("kind"), .string(category.kind == .deed ? "deed" : kind))
                r.insert(.string("occurred_at"), .string(time))
                r.insert(.string("household"), .string("H-1-1-101"))
                var place = MapValue()
                place.insert(.string("grid"), .string("G01"))
                place.insert(.string("building"), .string("1"))
                place.insert(.string("zone"), .string(zone))
                r.insert(.string("where"), .map(place))
                r.insert(.string("category"), .string(id))
                r.insert(.string("facts"), .map(facts))
                var photo = MapValue()
                photo.insert(.string("type"), .string("photo"))
                r.insert(.string("evidence"), .list([.map(photo)]))
                out.append(IncidentRecord(origin: RecordOrigin(file: "fuzz", line: out.count + 1), content: .success(r)))
            }
        }
        return out
    }

    // MARK: - FuzzExpression (Sources/Fuzz/FuzzExpression)

    static let expressionEnvironment = CELEnvironment(variables: [
        ("facts", .record(RecordType(name: "facts(fuzz)", fields: [
            "location": .init(.string), "charging": .init(.bool), "count": .init(.int), "ratio": .init(.double),
            "tags": .init(.list(.string)), "at": .init(.timestamp), "stay": .init(.duration),
            "opt": .init(.double, optional: true), "missing": .init(.string, optional: true),
        ]))),
        ("n", .int), ("u", .uint), ("x", .double), ("s", .string), ("b", .bytes), ("flag", .bool),
        ("t", .timestamp), ("d", .duration),
        ("l", .list(.int)), ("m", .map(.string, .int)), ("v", .dyn),
    ])

    static let expressionActivation: Activation = {
        func map(_ pairs: [(String, Value)]) -> Value {
            var m = MapValue()
            for (k, v) in pairs { m.insert(.string(k), v) }
            return .map(m)
        }
        let at = Timestamp(seconds: 1_782_909_000)!
        let stay = CELDuration(seconds: 5_400)!
        return expressionEnvironment.activation([
            "facts": map([("location", .string("corridor")), ("charging", .bool(true)), ("count", .int(3)),
                          ("ratio", .double(0.25)), ("tags", .list([.string("a"), .string("电动车")])),
                          ("at", .timestamp(at)), ("stay", .duration(stay)), ("opt", .double(-0.0))]),
            "n": .int(Int64.max), "u": .uint(UInt64.max), "x": .double(.nan), "s": .string("héllo 楼道 🚲"),
            "b": .bytes([0x00, 0xFF, 0xC3, 0x28]), "flag": .bool(false),
            "t": .timestamp(at), "d": .duration(stay),
            "l": .list([.int(1), .int(-2), .int(Int64.min)]), "m": map([("a", .int(1)), ("", .int(0))]),
            "v": map([("k", .list([.null, .double(.infinity), .uint(0)]))]),
        ])
    }()

    @Test(.timeLimit(.minutes(1)), arguments: inputs("FuzzExpression"))
    func expression(_ path: String) throws {
        let bytes = try Self.bytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        let source = CELSource(file: "fuzz.cel", text: text, origin: CovenantSource.SourceLocation(line: 3, column: 14),
                               continuationColumn: 7)
        let sourceText = SourceText(name: "fuzz.cel", text: text)
        let program: CELProgram
        do {
            program = try Self.expressionEnvironment.compile(text)
        } catch {
            #expect(!error.issues.isEmpty)
            for issue in error.issues {
                _ = DiagnosticRenderer().render(CELSource(file: "fuzz.cel", text: text).diagnostic(for: issue), source: sourceText)
                _ = source.diagnostic(for: issue)
            }
            return
        }
        _ = program.resultType.description
        do {
            _ = JSON.write(try program.evaluate(Self.expressionActivation))
        } catch {
            _ = DiagnosticRenderer().render(CELSource(file: "fuzz.cel", text: text).diagnostic(for: error), source: sourceText)
        }
        for node in program.explain(Self.expressionActivation, text: text).nodes {
            if case .success(let value) = node.result { _ = JSON.write(value) }
        }
    }

    // MARK: - FuzzIncidents (Sources/Fuzz/FuzzIncidents)

    /// The fixed convention, read from the fuzz target's own source so the two cannot drift apart.
    static let incidentsConvention: Convention? = {
        let file = root.appendingPathComponent("Sources/Fuzz/FuzzIncidents/FuzzIncidents.swift")
        guard let swift = try? String(contentsOf: file, encoding: .utf8),
              let start = swift.range(of: "let conventionText = \"\"\"\n"),
              let end = swift.range(of: "\n    \"\"\"", range: start.upperBound..<swift.endIndex) else { return nil }
        let text = swift[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }.joined(separator: "\n") + "\n"
        let result = ConventionLoader.load(text: text, name: "fuzz-convention.yaml")
        guard !result.diagnostics.contains(where: { $0.severity == .error }) else { return nil }
        return result.convention
    }()

    @Test func incidentsConventionLoads() {
        #expect(Self.incidentsConvention != nil, "the convention in Sources/Fuzz/FuzzIncidents does not load cleanly")
    }

    @Test(.timeLimit(.minutes(1)), arguments: inputs("FuzzIncidents"))
    func incidents(_ path: String) throws {
        let convention = try #require(Self.incidentsConvention)
        let engine = Engine(convention: convention)
        let bytes = try Self.bytes(path)
        _ = IncidentFormat.sniff(bytes)
        for line in bytes.split(separator: 0x0A) where UTF8Validation.isValid(Array(line)) {
            // (Results taken first: a failed expectation would otherwise print the whole engine.)
            let fastPathAgrees = engine.fastPathAgrees(json: Array(line))
            let orderKeyAgrees = engine.orderKeyAgrees(json: Array(line))
            #expect(fastPathAgrees, "\(String(decoding: line, as: UTF8.self))")
            #expect(orderKeyAgrees, "order key: \(String(decoding: line, as: UTF8.self))")
            let typedAgrees = engine.typedConditionsAgree(json: Array(line))
            #expect(typedAgrees, "typed conditions: \(String(decoding: line, as: UTF8.self))")
        }
        for format in IncidentFormat.allCases {
            let records = IncidentReader.read(bytes, file: "fuzz.\(format.rawValue)", format: format, convention: convention)
            #expect(engine.evaluate(records).count == records.count)
            if let first = records.first { _ = engine.explain(first, history: Array(records.dropFirst().prefix(8))) }
        }
    }
}
