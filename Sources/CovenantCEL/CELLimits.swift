/// Resource limits for compiling and evaluating expressions. Every limit, when hit, is a positioned
/// error that names it — never a crash, a hang or unbounded memory.
public struct CELLimits: Sendable, Hashable {
    /// Longest expression accepted, in Unicode code points.
    public var maxExpressionLength: Int
    /// Deepest expression tree accepted (parenthesised nesting and operator chains both count).
    public var maxDepth: Int
    /// Evaluation cost budget: one unit per comprehension iteration and per element or code point
    /// produced by concatenation, list/map construction and conversion.
    public var maxCost: Int
    /// Longest regular expression accepted by `matches`, in code points.
    public var maxRegexLength: Int

    /// Creates limits.
    public init(maxExpressionLength: Int = 10_000, maxDepth: Int = 100, maxCost: Int = 1_000_000, maxRegexLength: Int = 1_000) {
        self.maxExpressionLength = maxExpressionLength
        self.maxDepth = maxDepth
        self.maxCost = maxCost
        self.maxRegexLength = maxRegexLength
    }

    /// The defaults documented in docs/limits.md.
    public static let `default` = CELLimits()
}
