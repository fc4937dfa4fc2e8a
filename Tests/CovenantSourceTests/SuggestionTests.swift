import Testing
@testable import CovenantSource

@Suite("Did-you-mean suggestions")
struct SuggestionTests {
    static let keys = ["id", "kind", "occurred_at", "reported_at", "reporter", "where", "household", "category", "facts", "evidence"]

    @Test(arguments: [
        ("ocurred_at", "occurred_at"),   // one deletion
        ("occured_at", "occurred_at"),
        ("houshold", "household"),
        ("catgeory", "category"),        // transposition counts as one edit
        ("FACTS", "facts"),              // case is ignored
        ("kidn", "kind"),
        ("evidnece", "evidence"),
    ])
    func suggestsTheClosePlausibleKey(_ typo: String, _ expected: String) {
        #expect(Suggestion.closest(to: typo, among: Self.keys) == expected)
    }

    @Test(arguments: ["colour", "x", "timestamp", "building_number", ""])
    func staysSilentWhenNothingIsClose(_ word: String) {
        #expect(Suggestion.closest(to: word, among: Self.keys) == nil)
    }

    @Test func tiesGoToTheAlphabeticallyFirstCandidate() {
        #expect(Suggestion.closest(to: "cat", among: ["bat", "car"]) == "bat")
    }

    @Test(arguments: [
        ("kitten", "sitting", 3),
        ("ab", "ba", 1),
        ("", "abc", 3),
        ("abc", "", 3),
        ("邻里", "邻居", 1),
    ])
    func distanceIsDamerauLevenshtein(_ a: String, _ b: String, _ d: Int) {
        #expect(Suggestion.distance(Array(a.unicodeScalars), Array(b.unicodeScalars)) == d)
        #expect(Suggestion.distance(Array(b.unicodeScalars), Array(a.unicodeScalars)) == d)
    }

    /// Regression for the fuzzer's timeout (Fuzz/regressions/FuzzIncidents/csv-long-unknown-column.csv):
    /// a very long word gets no suggestion, and a candidate too different in length is never compared.
    @Test func longWordsAreNotCompared() {
        let long = String(repeating: "occurred_at", count: 500)
        #expect(Suggestion.closest(to: long, among: Self.keys) == nil)
        let justOver = String(repeating: "a", count: Suggestion.maxWordLength + 1)
        #expect(Suggestion.closest(to: justOver, among: [justOver]) == nil)
        let atLimit = String(repeating: "a", count: Suggestion.maxWordLength)
        #expect(Suggestion.closest(to: atLimit, among: [atLimit + "b"]) == atLimit + "b")
    }
}
