import CovenantSource
import Testing

@testable import CovenantYAML

@Suite("limits")
struct LimitTests {
    @Test func defaults() {
        let limits = YAMLLimits.default
        #expect(limits.maxFileBytes == 4 * 1024 * 1024)
        #expect(limits.maxDepth == 64)
        #expect(limits.maxAliasExpansion == 10_000)
        #expect(limits.maxScalarBytes == 64 * 1024)
    }

    @Test func fileSizeIsCheckedBeforeParsing() throws {
        // Not even valid UTF-8: the size check comes first.
        let bytes = [UInt8](repeating: 0xFF, count: 4 * 1024 * 1024 + 1)
        let error = try #require(expectFailure(bytes, .fileTooLarge, at: 1, 1))
        #expect(error.diagnostic.message.en == "file is too large (4194305 bytes; the limit is 4194304)")
        #expect(error.source == nil)
    }

    @Test func fileSizeLimitIsConfigurableAndInclusive() throws {
        let limits = YAMLLimits(maxFileBytes: 10)
        #expect(failure("a: 1234567", limits: limits) == nil)
        expectFailure("a: 12345678", .fileTooLarge, at: 1, 1, limits: limits)
    }

    @Test func twoHundredOpenBracketsStopAtLevelSixtyFive() throws {
        let text = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let error = try #require(expectFailure(text, .tooDeep, at: 1, 65))
        #expect(error.diagnostic.message.en == "nesting is deeper than 64 levels")
    }

    @Test func unclosedDeepFileFailsOnDepthNotStack() {
        let text = String(repeating: "[", count: 100_000)
        expectFailure(text, .tooDeep, at: 1, 65)
    }

    @Test func exactlySixtyFourLevelsAreFine() throws {
        let text = String(repeating: "[", count: 64) + "x" + String(repeating: "]", count: 64)
        var node = try #require(root(text))
        var depth = 0
        while let first = node[0] { node = first; depth += 1 }
        #expect(depth == 64)
        #expect(node.string == "x")
    }

    @Test func deepBlockMappingsFailAtTheLineThatGoesTooDeep() {
        var text = ""
        for level in 0..<100 { text += String(repeating: " ", count: level) + "k\(level):\n" }
        // k0..k63 open mappings at levels 1...64 (the root mapping is level 1); k64's value is level 65.
        expectFailure(text, .tooDeep, at: 65, 65)
    }

    @Test func configurableDepth() {
        expectFailure("a: {b: {c: {d: 1}}}", .tooDeep, at: 1, 12, limits: YAMLLimits(maxDepth: 3))
        #expect(failure("a: {b: {c: 1}}", limits: YAMLLimits(maxDepth: 3)) == nil)
    }

    @Test func aliasCannotCarryANodePastTheDepthLimit() {
        let text = "a: &deep [[[1]]]\nb: [[*deep]]\n"
        #expect(failure(text, limits: YAMLLimits(maxDepth: 6)) == nil)
        expectFailure(text, .tooDeep, at: 2, 6, limits: YAMLLimits(maxDepth: 5))
    }

    @Test func longScalar() throws {
        let text = "a: " + String(repeating: "x", count: 64 * 1024 + 1)
        let error = try #require(expectFailure(text, .scalarTooLong, at: 1, 4))
        #expect(error.diagnostic.message.en == "scalar is too long (65537 bytes; the limit is 65536)")
        #expect(failure("a: " + String(repeating: "x", count: 64 * 1024)) == nil)
    }

    @Test func scalarLimitCountsUTF8Bytes() {
        // Three characters, nine bytes.
        expectFailure("k: ok\nv: \"名字们\"\n", .scalarTooLong, at: 2, 4, limits: YAMLLimits(maxScalarBytes: 8))
    }

    static var billionLaughs: String {
        let lol = "[" + Array(repeating: "\"lol\"", count: 9).joined(separator: ",") + "]"
        var lines = ["a: &a \(lol)"]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (previous, name) in zip(names, names.dropFirst()) {
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(.timeLimit(.minutes(1)))
    func billionLaughsFailsFastOnTheAliasBudget() throws {
        let clock = ContinuousClock()
        var error: YAMLError?
        let elapsed = clock.measure { error = failure(Self.billionLaughs) }
        // a: 10 nodes; b copies 9×10; c copies 9×91; d copies 9×820 (8289 so far); e's first *d passes 10 000.
        let e = try #require(error)
        #expect(e.code == .aliasExpansion)
        #expect(e.span?.start.line == 5)
        #expect(e.span?.start.column == 8)
        #expect(e.diagnostic.message.en == "alias `*d` expands the document past 10000 nodes")
        #expect(elapsed < .seconds(2))
    }

    @Test func aliasBudgetIsConfigurable() {
        let text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
        #expect(failure(text, limits: YAMLLimits(maxAliasExpansion: 8)) == nil)
        expectFailure(text, .aliasExpansion, at: 2, 9, limits: YAMLLimits(maxAliasExpansion: 7))
    }

    @Test func nodesWrittenOutDoNotCountAgainstTheAliasBudget() throws {
        let text = "[" + Array(repeating: "1", count: 20_000).joined(separator: ",") + "]"
        let node = try #require(root(text))
        #expect(node.sequence?.count == 20_000)
    }

    @Test func longSingleLineFileParsesInLinearTime() throws {
        let text = "[" + Array(repeating: "名", count: 200_000).joined(separator: ",") + "]"
        let clock = ContinuousClock()
        var node: YAMLNode?
        let elapsed = clock.measure { node = root(text) }
        #expect(node?[199_999]?.span.start.column == 400_000)
        #expect(elapsed < .seconds(20))
    }
}
