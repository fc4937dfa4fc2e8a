import CovenantSource
import Testing

@testable import CovenantYAML

@Suite("streams")
struct StreamTests {
    static let three = """
        ---
        a: 1
        ---
          - x
          - y
        ...
        --- 'third'
        """

    @Test func threeDocumentsWithTheirPositions() throws {
        let s = try #require(stream(Self.three))
        #expect(s.documents.count == 3)
        let d = s.documents
        #expect(d.map(\.span.start.line) == [1, 3, 7])
        #expect(d[0].root["a"]?.string == "1")
        #expect(d[0].root.span.start.line == 2 && d[0].root.span.start.column == 1)
        #expect(d[1].root.sequence?.map(\.string) == ["x", "y"])
        #expect(d[1].root.span.start.line == 4 && d[1].root.span.start.column == 3)
        #expect(d[2].root.string == "third")
        #expect(d[2].root.span.short == "7:5-7:12")
        #expect(d.allSatisfy { $0.source == s.source })
    }

    @Test func implicitDocumentStartsAtItsFirstToken() throws {
        let s = try #require(stream("# comment\n\nkey: v\n"))
        #expect(s.documents.count == 1)
        #expect(s.documents[0].span.start.line == 3)
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n", "\u{FEFF}"])
    func emptyStreamHasNoDocuments(_ text: String) throws {
        let s = try #require(stream(text))
        #expect(s.documents.isEmpty)
    }

    @Test func emptyExplicitDocumentHasANullRoot() throws {
        let s = try #require(stream("---\n---\nx\n"))
        #expect(s.documents.count == 2)
        #expect(s.documents[0].root.isNull)
    }

    @Test func parseDocumentRejectsASecondDocumentAtItsStart() {
        let error = expectFailure("a: 1\n---\nb: 2\n", .multipleDocuments, at: 2, 1, single: true)
        #expect(error?.diagnostic.help?.en == "remove the `---` separator, or split the file")
    }

    @Test func parseDocumentStopsBeforeParsingTheSecondDocument() {
        // The second document is broken, but the reader reports that it exists, not its syntax.
        expectFailure("a: 1\n--- \"unclosed\n", .multipleDocuments, at: 2, 1, single: true)
    }

    @Test func parseDocumentRejectsAnEmptyFile() {
        expectFailure("# nothing here\n", .noDocument, at: 1, 1, single: true)
    }

    @Test func anchorsDoNotCrossDocuments() {
        expectFailure("a: &x 1\n---\nb: *x\n", .undefinedAlias, at: 3, 4)
    }

    @Test func duplicateKeysInDifferentDocumentsAreFine() throws {
        let s = try #require(stream("a: 1\n---\na: 2\n"))
        #expect(s.documents.map { $0.root["a"]?.string } == ["1", "2"])
    }
}
