// Temporary: replaced by the real engine.
struct CompiledRegex: Sendable {
    init(pattern: String) throws(RegexError) {}
    func matches(_ text: String) -> Bool { false }
    var programSize: Int { 0 }
}
