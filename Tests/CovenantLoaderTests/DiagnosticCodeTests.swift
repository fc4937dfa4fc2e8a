import Foundation
import Testing

/// Every diagnostic code used in the sources is documented in docs/diagnostics.md.
@Suite struct DiagnosticCodeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func everyCodeIsDocumented() throws {
        let docs = try String(contentsOf: Self.root.appendingPathComponent("docs/diagnostics.md"), encoding: .utf8)
        var used: Set<String> = []
        let enumerator = FileManager.default.enumerator(atPath: Self.root.appendingPathComponent("Sources").path)
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".swift") else { continue }
            let text = try String(contentsOf: Self.root.appendingPathComponent("Sources/\(path)"), encoding: .utf8)
            for match in text.matches(of: /"([EYLWUT][0-9]{4})"/) { used.insert(String(match.output.1)) }
        }
        #expect(used.count > 60)
        for code in used.sorted() {
            #expect(docs.contains("| \(code) |"), "\(code) is not in docs/diagnostics.md")
        }
    }
}
