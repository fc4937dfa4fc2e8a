/// Bounds the YAML reader enforces, so that a hostile or broken file fails fast with a
/// positioned diagnostic instead of exhausting memory or the stack.
public struct YAMLLimits: Sendable, Hashable {
    /// Largest accepted input, in bytes, checked before anything is parsed (default 4 MiB).
    public var maxFileBytes: Int
    /// Deepest accepted nesting of sequences and mappings (default 64). The root collection is
    /// level 1; scalars do not count. Aliases are checked too: a copy may not reach deeper.
    public var maxDepth: Int
    /// Most nodes that expanding aliases may add to one document (default 10 000). Nodes written
    /// out in the file do not count; each `*alias` counts every node of the subtree it copies.
    public var maxAliasExpansion: Int
    /// Longest accepted scalar, in UTF-8 bytes of its value (default 64 KiB).
    public var maxScalarBytes: Int

    /// Creates limits; every parameter defaults to the value in ``default``.
    public init(
        maxFileBytes: Int = 4 * 1024 * 1024,
        maxDepth: Int = 64,
        maxAliasExpansion: Int = 10_000,
        maxScalarBytes: Int = 64 * 1024
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
        self.maxScalarBytes = maxScalarBytes
    }

    /// 4 MiB per file, 64 levels, 10 000 alias-expanded nodes per document, 64 KiB per scalar.
    public static let `default` = YAMLLimits()
}
