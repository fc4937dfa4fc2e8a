import CovenantCEL
@testable import CovenantEngine
import CovenantLoader
import CovenantModel
import CovenantSource
import Foundation
import Testing

/// The engine's fast path (incident straight from JSON bytes) must decide exactly as the general
/// path (JSON → map → IncidentParser): whenever it returns an incident, the general path finds the
/// record valid and makes the same incident. It may give up on anything; it must never differ.
@Suite struct FastPathTests {
    static let root = FuzzRegressionTests.root

    static func convention(_ path: String) -> Convention? {
        let result = ConventionLoader.load(file: root.appendingPathComponent(path).path,
                                           options: LoadOptions(ruleRoot: root.appendingPathComponent(path).deletingLastPathComponent().path))
        return result.convention
    }

    /// Every NDJSON line of the samples and every line of the incident fuzz corpus.
    static let lines: [[UInt8]] = {
        var out: [[UInt8]] = []
        var files = ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("samples/incidents").path)) ?? [])
            .filter { $0.hasSuffix(".ndjson") }.map { "samples/incidents/\($0)" }
        files += FuzzRegressionTests.inputs("FuzzIncidents")
        for file in files {
            guard let bytes = try? FuzzRegressionTests.bytes(file) else { continue }
            for line in bytes.split(separator: 0x0A) where UTF8Validation.isValid(Array(line)) { out.append(Array(line)) }
        }
        return out
    }()

    /// Small edits of valid lines: the kinds of damage the fast path must notice or agree on.
    static func variants(of line: [UInt8]) -> [[UInt8]] {
        let text = String(decoding: line, as: UTF8.self)
        var out: [String] = [
            text.replacingOccurrences(of: #""id":"#, with: #""id":"x","id":"#),             // duplicate key
            text.replacingOccurrences(of: #""facts":{"#, with: #""facts":{"bogus":1,"#),     // undeclared fact
            text.replacingOccurrences(of: #""category":""#, with: #""category":"x"#),        // unknown category
            text.replacingOccurrences(of: "true", with: "1"),                                // wrong type
            text.replacingOccurrences(of: ":", with: ": ", options: [], range: nil),         // blanks
            text.replacingOccurrences(of: #""kind":"report""#, with: #""kind":null"#),       // null kind
            text.replacingOccurrences(of: #""grid":""#, with: #""grid":"\u0047"#),          // escape
            text.replacingOccurrences(of: "+08:00", with: "Z"),                               // another offset
            text.replacingOccurrences(of: "}}", with: "},\"note\":{\"a\":[1,2.5e3,-0,true,null]}}"),
            text.replacingOccurrences(of: "}}", with: "},\"note\":{\"a\":1,\"a\":2}}"),       // nested duplicate
            text.replacingOccurrences(of: #"","#, with: #"" ,"#),
            text + " x",
            String(text.dropLast()),
        ]
        out.append(text.replacingOccurrences(of: #""household":""#, with: #""household":"H"#))
        // Households the order scan must read as the validator does, or leave to it.
        if let h = text.range(of: #""household":"[^"]*""#, options: .regularExpression) {
            for replacement in [#""household":"\u0048-1""#, #""household":12"#, #""household":null"#, #""household":1.5"#,
                                #""household":["H"]"#, #""household":"H-1","household":"H-2""#] {
                out.append(text.replacingCharacters(in: h, with: replacement))
            }
        }
        out.append(text.replacingOccurrences(of: #""id":""#, with: #""id":"\u0041"#))
        out.append(text.replacingOccurrences(of: #"+08:00""#, with: #"+08:00 ""#))
        // A fact given twice, the first time as null (null alone would mean "absent").
        if let r = text.range(of: #""facts":{""#), let end = text[r.upperBound...].firstIndex(of: "\"") {
            let key = text[r.upperBound..<end]
            out.append(text.replacingCharacters(in: r, with: #""facts":{"\#(key)":null,""#))
        }
        // The category last, after the facts (which are then decoded after the envelope).
        if let c = text.range(of: #","category":"[^"]*""#, options: .regularExpression), text.hasSuffix("}") {
            var moved = text
            let category = String(text[c])
            moved.removeSubrange(c)
            moved.removeLast()
            out.append(moved + category + "}")
        }
        // The facts in reverse order (the fast path puts them in declaration order itself).
        if case .success(var record) = IncidentRecord.decode(line), case .map(let facts)? = record["facts"], facts.count > 1 {
            var reversed = MapValue()
            for entry in facts.entries.reversed() { reversed.insert(entry.key, entry.value) }
            record.set("facts", .map(reversed))
            out.append(JSON.write(.map(record)))
        }
        return out.map { Array($0.utf8) }.filter { $0 != line }
    }

    func check(_ convention: Convention, _ lines: [[UInt8]]) -> (fast: Int, valid: Int) {
        let judge = Judge(convention: convention, roster: nil)
        var fast = 0, valid = 0
        for line in lines {
            let origin = RecordOrigin(file: "t", line: 1)
            let record = IncidentRecord(origin: origin, validUTF8JSON: line)
            let general: Incident? = {
                guard case .success(let map) = record.content, case .valid(let i) = judge.parser.parse(map, origin: origin) else { return nil }
                return i
            }()
            if general != nil { valid += 1 }
            // The order scan reads the validator's household, time and id (or nothing without a household).
            let key = OrderKey.of(record)
            if let general {
                if let household = general.household {
                    #expect(key == OrderKey(household: household, time: general.occurredAt, id: general.id),
                            "order key of \(String(decoding: line, as: UTF8.self))")
                } else {
                    #expect(key == nil, "order key without a household: \(String(decoding: line, as: UTF8.self))")
                }
            }
            guard let quick = judge.fastPath.decode(line[...], origin: origin) else { continue }
            fast += 1
            guard let general else {
                Issue.record("fast path accepted what the general path rejects: \(String(decoding: line, as: UTF8.self))")
                continue
            }
            #expect(Engine.same(quick, general), "\(String(decoding: line, as: UTF8.self))")
        }
        return (fast, valid)
    }

    @Test(arguments: ["rules/zh/laoshiqu.yaml", "rules/en/maple-court-hoa.yaml"])
    func agreesWithTheGeneralPath(_ path: String) throws {
        let convention = try #require(Self.convention(path))
        _ = check(convention, Self.lines.flatMap(Self.variants))
        let (fast, valid) = check(convention, Self.lines)
        // It is used: most records the general path accepts are taken by the fast path.
        if path.contains("zh") { #expect(valid > 500, "the zh samples hold hundreds of valid records (\(valid))") }
        if valid > 0 { #expect(Double(fast) >= 0.8 * Double(valid), "fast path took \(fast) of \(valid) valid records") }
    }

    @Test func agreesOnTheFuzzConvention() throws {
        let convention = try #require(FuzzRegressionTests.incidentsConvention)
        _ = check(convention, Self.lines + Self.lines.flatMap(Self.variants))
    }

    /// A record the fast path takes is judged exactly as before: same verdicts through the engine.
    @Test func verdictsAreTheSameEitherWay() throws {
        let convention = try #require(Self.convention("rules/zh/laoshiqu.yaml"))
        let engine = Engine(convention: convention, workers: 1)
        let asText = Self.lines.enumerated().map { IncidentRecord(origin: RecordOrigin(file: "t", line: $0.offset + 1), validUTF8JSON: $0.element) }
        let decoded = asText.map { IncidentRecord(origin: $0.origin, content: $0.content) }
        let a = engine.evaluate(asText).map { JSON.write(.string("\($0)")) }
        let b = engine.evaluate(decoded).map { JSON.write(.string("\($0)")) }
        #expect(a.count == Self.lines.count)
        #expect(a == b)
    }

    /// Random byte edits of valid lines (seeded): wherever the fast path still decodes, it agrees.
    @Test func randomEditsNeverMakeThePathsDisagree() throws {
        let convention = try #require(Self.convention("rules/zh/laoshiqu.yaml"))
        var random = OrderIndependenceTests.Random(state: 2026)
        let alphabet = Array(#"{}[],:" \0123456789-+.eEtruefalsn"abcxyz"#.utf8)
        var edited: [[UInt8]] = []
        for _ in 0..<4_000 {
            var line = Self.lines[random.int(Self.lines.count)]
            for _ in 0...random.int(2) {
                guard !line.isEmpty else { break }
                let at = random.int(line.count)
                switch random.int(3) {
                case 0: line.remove(at: at)
                case 1: line.insert(alphabet[random.int(alphabet.count)], at: at)
                default: line[at] = alphabet[random.int(alphabet.count)]
                }
            }
            if UTF8Validation.isValid(line) { edited.append(line) }
        }
        let (fast, _) = check(convention, edited)
        #expect(fast > 100, "some edited lines are still valid and decoded fast (\(fast))")
    }

    /// Short decimals are read without `Double(String)`; they must come out bit for bit the same.
    @Test func shortDecimalsReadAsDoubleDoes() {
        var random = OrderIndependenceTests.Random(state: 77)
        var texts = ["0.0", "-0.0", "0.1", "2.5", "-0.75", "123456789012.345", "0.000000000000001", "999999999999999.9",
                     "1.7976931348623157", "0.30000000000000004", "9007199254740.993", "1.0000000000000002"]
        for _ in 0..<20_000 {
            let intDigits = random.int(10), fractionDigits = 1 + random.int(16)
            let int = intDigits == 0 ? "0" : String((0..<intDigits).map { k in Character(String(k == 0 ? 1 + random.int(9) : random.int(10))) })
            let fraction = String((0..<fractionDigits).map { _ in Character(String(random.int(10))) })
            texts.append((random.int(2) == 0 ? "-" : "") + int + "." + fraction)
        }
        var fast = 0
        for text in texts {
            let bytes = Array(text.utf8)
            let negative = bytes.first == 0x2D
            let quick = bytes.withUnsafeBufferPointer { JSONScanner.shortDecimal($0, from: negative ? 1 : 0, to: $0.count, negative: negative) }
            guard let quick else { continue }
            fast += 1
            #expect(quick.bitPattern == Double(text)!.bitPattern, "\(text): \(quick) vs \(Double(text)!)")
        }
        #expect(fast > 10_000, "most short decimals take the fast way (\(fast))")
    }

    /// The eight-bytes-at-a-time test for a quote, a backslash or a control character finds the
    /// first of them exactly: the lowest flagged byte is the first special one, and a word without
    /// one flags nothing.
    @Test func wordTestFindsTheFirstSpecialByte() {
        var random = OrderIndependenceTests.Random(state: 8)
        let interesting: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF, 0x41]
        var withSpecial = 0
        for _ in 0..<200_000 {
            var bytes = [UInt8](repeating: 0, count: 8)
            for k in 0..<8 { bytes[k] = random.int(2) == 0 ? interesting[random.int(interesting.count)] : UInt8(random.int(256)) }
            let word = UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            let flags = JSONScanner.specialBytes(word)
            if let first = bytes.firstIndex(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) {
                withSpecial += 1
                #expect(flags.trailingZeroBitCount >> 3 == first, "\(bytes): flagged byte \(flags.trailingZeroBitCount >> 3), first special \(first)")
            } else {
                #expect(flags == 0, "false alarm in \(bytes)")
            }
        }
        #expect(JSONScanner.specialBytes(0x4141_4141_4141_4141) == 0)
        #expect(withSpecial > 50_000)
    }
}
