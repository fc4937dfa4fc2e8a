import CovenantSource

/// How a scalar was written. The reader keeps it so later stages can type scalars by their
/// schema: a quoted `"no"` and a plain `no` are both the string `no`, but only the plain one
/// could ever be read as something else.
public enum YAMLScalarStyle: String, Sendable, Hashable, CaseIterable {
    /// `value`
    case plain
    /// `'value'`
    case singleQuoted
    /// `"value"`
    case doubleQuoted
    /// `|` block scalar
    case literal
    /// `>` block scalar
    case folded

    /// Whether the scalar was written in quotes.
    public var isQuoted: Bool { self == .singleQuoted || self == .doubleQuoted }
}

/// A scalar exactly as the file wrote it: the reader never converts `no`, `on`, `010` or `1e3`
/// into booleans or numbers.
public struct YAMLScalar: Sendable, Hashable {
    /// The scalar's value after YAML's own unescaping and folding, as text.
    public var text: String
    /// How it was written.
    public var style: YAMLScalarStyle

    /// Creates a scalar.
    public init(text: String, style: YAMLScalarStyle) {
        self.text = text
        self.style = style
    }
}

/// One node of a YAML document: a scalar, a sequence, or a mapping, with where it is.
///
/// Aliases are already resolved: an `*alias` is a copy of the anchored node. The copy's own
/// ``span`` is where the alias is written; the nodes inside it keep the spans of the anchor's
/// definition.
public struct YAMLNode: Sendable, Hashable {
    /// One key–value entry of a mapping.
    public struct Pair: Sendable, Hashable {
        /// The key node (usually a scalar).
        public var key: YAMLNode
        /// The value node.
        public var value: YAMLNode

        /// Creates an entry.
        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    /// What a node holds.
    public enum Kind: Sendable, Hashable {
        /// A scalar with its raw text and style.
        case scalar(YAMLScalar)
        /// A sequence, in order.
        case sequence([YAMLNode])
        /// A mapping, its entries in file order (duplicate scalar keys are rejected by the reader).
        case mapping([Pair])
    }

    /// What the node holds.
    public var kind: Kind
    /// The node's tag as libyaml resolved it (`!!str` becomes `tag:yaml.org,2002:str`, `!x` stays
    /// `!x`), or nil when the node has none.
    public var tag: String?
    /// The anchor name (`&name`) defined on this node, if any.
    public var anchor: String?
    /// Where the node is written: for a scalar from its first to past its last character
    /// (quotes and block indicators included); for a collection from its opening to its end.
    public var span: SourceSpan

    /// Creates a node.
    public init(_ kind: Kind, tag: String? = nil, anchor: String? = nil, span: SourceSpan) {
        self.kind = kind
        self.tag = tag
        self.anchor = anchor
        self.span = span
    }
}

extension YAMLNode {
    /// The scalar, when this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = kind { return scalar }
        return nil
    }

    /// The scalar's text in any style, or nil for a collection. A null such as `~` gives its text
    /// (`"~"`); test ``isNull`` first where nulls matter.
    public var string: String? { scalar?.text }

    /// The scalar's style, or nil for a collection.
    public var style: YAMLScalarStyle? { scalar?.style }

    /// The items, when this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The entries in file order, when this node is a mapping.
    public var mapping: [Pair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    /// Whether this is a scalar.
    public var isScalar: Bool { scalar != nil }
    /// Whether this is a sequence.
    public var isSequence: Bool { sequence != nil }
    /// Whether this is a mapping.
    public var isMapping: Bool { mapping != nil }

    /// Whether this node is YAML's null: a plain, untagged `~`, `null`, `Null`, `NULL` or empty
    /// scalar (as in `key:` with nothing after it), or any scalar tagged `!!null`.
    public var isNull: Bool {
        guard let scalar else { return false }
        if tag == "tag:yaml.org,2002:null" { return true }
        guard tag == nil, scalar.style == .plain else { return false }
        switch scalar.text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// The entry whose key is a scalar with exactly this text, when this node is a mapping.
    public func pair(forKey key: String) -> Pair? {
        mapping?.first { $0.key.string == key }
    }

    /// The value under the scalar key `key`, when this node is a mapping that has it.
    public subscript(key: String) -> YAMLNode? {
        pair(forKey: key)?.value
    }

    /// The item at `index`, when this node is a sequence and the index is in range.
    public subscript(index: Int) -> YAMLNode? {
        guard let items = sequence, items.indices.contains(index) else { return nil }
        return items[index]
    }
}
