import CovenantCEL
@testable import CovenantLoader
import CovenantModel
import Foundation
import Testing

/// The JSON Schema editors use must describe exactly the keys the loader accepts.
@Suite struct SchemaTests {
    static let schema: MapValue = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("schema/covenant.schema.json")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? "{}"
        guard case .map(let m)? = try? JSON.parse(text) else { return MapValue() }
        return m
    }()

    static func keys(_ value: Value?) -> Set<String> {
        guard case .map(let m)? = value, case .map(let props)? = m["properties"] else { return [] }
        return Set(props.entries.compactMap { if case .string(let k) = $0.key { k } else { nil } })
    }

    static func property(_ m: MapValue, _ path: [String]) -> Value? {
        var current: Value = .map(m)
        for key in path {
            guard case .map(let map) = current, let next = map[key] else { return nil }
            current = next
        }
        return current
    }

    @Test func topLevelKeysMatchTheLoader() {
        #expect(Self.keys(.map(Self.schema)) == Set(Keys.root))
    }

    @Test func ruleStepCreditRecognitionAndExemptionKeysMatchTheLoader() {
        let rule = Self.property(Self.schema, ["properties", "rules", "items"])
        #expect(Self.keys(rule) == Set(Keys.rule))
        let step = Self.property(Self.schema, ["properties", "rules", "items", "properties", "escalation", "properties", "steps", "items"])
        #expect(Self.keys(step) == Set(Keys.step))
        #expect(Self.keys(Self.property(Self.schema, ["properties", "credits", "items"])) == Set(Keys.credit))
        #expect(Self.keys(Self.property(Self.schema, ["properties", "recognitions", "items"])) == Set(Keys.recognition))
        #expect(Self.keys(Self.property(Self.schema, ["properties", "exemptions", "items"])) == Set(Keys.exemption))
    }

    /// Every number of points the schema describes has the loader's bound (L0030).
    @Test(arguments: [
        ["properties", "points", "properties", "initial"],
        ["properties", "rules", "items", "properties", "points"],
        ["properties", "rules", "items", "properties", "escalation", "properties", "steps", "items", "properties", "points"],
        ["properties", "credits", "items", "properties", "points"],
    ])
    func pointsHaveTheLoadersBound(_ path: [String]) {
        guard case .map(let points)? = Self.property(Self.schema, path) else {
            Issue.record("no \(path.joined(separator: ".")) in the schema")
            return
        }
        #expect(points["minimum"] == .int(Int64(-PointsPolicy.maxMagnitude)))
        #expect(points["maximum"] == .int(Int64(PointsPolicy.maxMagnitude)))
    }
}
