import CovenantIO
import CovenantModel
import Testing

/// Standard input has no name to tell its format: `IncidentFormat.sniff` decides from the content.
@Suite struct FormatSniffTests {
    @Test(arguments: [
        ("", IncidentFormat.yaml),
        ("id: a\nkind: report\n", .yaml),
        ("- id: a\n", .yaml),
        ("[{\"id\":\"a\"}]", .json),
        ("{\"id\":\"a\"}", .json),
        ("{\"id\":\"a\"}\n", .json),
        ("  \n{\"id\":\"a\"}\n\n", .json),
        ("{\n  \"id\": \"a\"\n}\n", .json),
        ("{\"id\":\"a\",\n \"kind\":\"report\"}\n{\"id\":\"b\"}\n", .json),
        ("{\"id\":\"a\"}\n{\"id\":\"b\"}\n", .ndjson),
        ("{\"id\":\"a\"}\r\n{\"id\":\"b\"}\r\n", .ndjson),
        // A broken line after an object line: NDJSON, so that the broken line is a record of its own.
        ("{\"id\":\"a\"}\n[1, 2]\n", .ndjson),
        ("{\"id\":\"a\"}\nnot json\n", .ndjson),
        ("{\"id\":\"a\",\"note\":\"a } and a \\\" and {\"}\n{\"id\":\"b\"}\n", .ndjson),
        ("{\"id\":\"a\",\"where\":{\"grid\":\"G1\"},\"tags\":[\"x\"]}\n{}\n", .ndjson),
        // Something after the object on its own line: one (broken) JSON document.
        ("{\"id\":\"a\"} {\"id\":\"b\"}\n{\"id\":\"c\"}\n", .json),
        ("{\"id\":\"a\"\n", .json),
    ] as [(String, IncidentFormat)])
    func sniffs(_ text: String, _ expected: IncidentFormat) {
        #expect(IncidentFormat.sniff(Array(text.utf8)) == expected, "\(text.debugDescription)")
    }

    /// What the sniffed format makes of an object line and a broken line: two records, the second
    /// invalid and naming its own line.
    @Test func aBrokenSecondLineIsARecordOfItsOwn() {
        let bytes = Array("{\"id\":\"a\"}\n[1, 2]\n".utf8)
        let records = IncidentReader.read(bytes, file: "-", format: IncidentFormat.sniff(bytes), convention: nil)
        #expect(records.count == 2)
        #expect(records.last?.origin.line == 2)
        if case .failure = records.last?.content {} else { Issue.record("the list line is read as an invalid record") }
    }
}
