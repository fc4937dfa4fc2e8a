import CovenantCEL
import CovenantLoader
import CovenantModel
import CovenantSource
import Foundation
import Testing

/// Every byte of a condition's text is placed where the file writes it, whatever the YAML style
/// (folded `>-`, plain lines, quotes with escapes, literal `|`): carets land on the token.
@Suite struct ConditionPositionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["rules/zh/laoshiqu.yaml", "rules/en/maple-court-hoa.yaml"])
    func everyConditionByteIsWhereTheFileHasIt(_ path: String) throws {
        let result = ConventionLoader.load(file: Self.root.appendingPathComponent(path).path)
        let convention = try #require(result.convention)
        var checked = 0
        for rule in convention.rules {
            for condition in [rule.applies, rule.violation].compactMap({ $0 }) {
                let source = condition.source
                let positions = try #require(source.positions, "\(rule.id): no positions")
                let file = try #require(result.sources[source.file])
                let fileBytes = Array(file.text.utf8)
                let text = Array(source.text.utf8)
                #expect(positions.count == text.count + 1)
                for (i, byte) in text.enumerated() {
                    let at = positions[i].offset
                    #expect(fileBytes[at] == byte || fileBytes[at] == UInt8(ascii: "\\"),
                            "\(rule.id): byte \(i) of the text is not at \(positions[i])")
                    // Locations agree with the file's own line table.
                    #expect(file.location(ofUTF8Offset: at) == positions[i])
                }
                checked += 1
            }
        }
        #expect(checked >= 10)
    }
}
