import CovenantCEL
import CovenantEngine
import CovenantIO
import CovenantLoader
import CovenantModel
import Foundation
import Testing

/// Limits of the incident readers and the loader, each at its edge; and outputs that are safe.
@Suite struct ReaderLimitTests {
    @Test func ndjsonLinesAtAndOverTheLimit() {
        func line(_ bytes: Int) -> [UInt8] {
            let prefix = #"{"id":"A","pad":""#
            let suffix = #""}"#
            let pad = String(repeating: "x", count: bytes - prefix.utf8.count - suffix.utf8.count)
            return Array((prefix + pad + suffix).utf8)
        }
        let atLimit = line(IncidentReader.maxLineBytes)
        let over = line(IncidentReader.maxLineBytes + 1)
        var records: [IncidentRecord] = []
        IncidentReader.forEach(atLimit + [0x0A] + over + [0x0A], file: "big.ndjson", format: .ndjson, convention: nil) { records.append($0) }
        #expect(records.count == 2)
        #expect(records[0].id == "A")
        guard case .failure(let problem) = records[1].content else { Issue.record("expected a problem"); return }
        #expect(problem.message.en.contains("longer than the limit"))
        #expect(records[1].origin.line == 2)
        // Streamed in small chunks, the same.
        var offset = 0
        let bytes = atLimit + [0x0A] + over + [0x0A]
        var streamed: [IncidentRecord] = []
        IncidentReader.forEachNDJSON(file: "big.ndjson", nextChunk: {
            guard offset < bytes.count else { return nil }
            defer { offset += 65_536 }
            return Array(bytes[offset..<min(offset + 65_536, bytes.count)])
        }) { streamed.append($0) }
        #expect(streamed.count == 2)
        #expect(streamed[0].id == "A")
        if case .success = streamed[1].content { Issue.record("the over-long line must be a problem") }
    }

    @Test func malformedCSVRowsAreReportedWithTheirLines() {
        let csv = "id,category,occurred_at,facts.charging\nA,ebike,2026-05-01T10:00:00+08:00,true\nB,\"unterminated,x\n"
        var records: [IncidentRecord] = []
        IncidentReader.forEach(Array(csv.utf8), file: "x.csv", format: .csv, convention: nil) { records.append($0) }
        #expect(records.count == 2)
        #expect(records[0].id == "A")
        guard case .failure = records[1].content else { Issue.record("expected a problem"); return }
        #expect(records[1].origin.line == 3)
    }

    @Test func importsBeyondTheLimitAreAnError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("covenant-imports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = (1...5).map { "f\($0).yaml" }
        for name in names { try "zones: [z\(name.count)]\n".write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try "covenant: 1\nid: many\nimports: [\(names.joined(separator: ", "))]\n"
            .write(to: dir.appendingPathComponent("root.yaml"), atomically: true, encoding: .utf8)
        let ok = ConventionLoader.load(file: dir.appendingPathComponent("root.yaml").path, options: LoadOptions(maxImports: 5))
        #expect(!ok.diagnostics.contains { $0.code == "L0028" })
        let over = ConventionLoader.load(file: dir.appendingPathComponent("root.yaml").path, options: LoadOptions(maxImports: 4))
        #expect(over.diagnostics.contains { $0.code == "L0028" })
    }

    @Test func importsCannotFollowSymbolicLinksOutOfTheRuleRoot() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("covenant-symlink-\(UUID().uuidString)")
        let root = base.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try "zones: [outside]\n".write(to: base.appendingPathComponent("secret.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link.yaml"),
                                                   withDestinationURL: base.appendingPathComponent("secret.yaml"))
        try "covenant: 1\nid: sym\nimports: [link.yaml]\n".write(to: root.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        let result = ConventionLoader.load(file: root.appendingPathComponent("c.yaml").path, options: LoadOptions(ruleRoot: root.path))
        #expect(result.diagnostics.contains { $0.code == "L0013" })
        #expect(result.convention == nil)
    }
}
