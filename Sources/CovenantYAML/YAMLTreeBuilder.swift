import CovenantSource

/// Builds node trees from events with an explicit stack (never recursion, so no input can
/// overflow the call stack), resolving aliases and enforcing the limits as it goes.
struct YAMLTreeBuilder {
    /// A finished node with its size, for the alias budget and the depth check.
    struct Built {
        var node: YAMLNode
        /// Nodes in the subtree, the node itself included.
        var count: Int
        /// Collections on the deepest path down from the node (0 for a scalar).
        var height: Int
    }

    /// A collection whose end event has not come yet.
    struct Frame {
        var isMapping: Bool
        var start: SourceLocation
        var tag: String?
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLNode.Pair] = []
        var pendingKey: YAMLNode?
        /// First line of each scalar key seen so far, to report duplicates.
        var keyLines: [String: Int] = [:]
        var count = 1
        var height = 1
    }

    let limits: YAMLLimits
    let source: SourceText
    /// Whether the input may hold one document only.
    let single: Bool

    private(set) var documents: [YAMLDocument] = []
    private(set) var finished = false
    private var stack: [Frame] = []
    private var anchors: [String: Built] = [:]
    private var expanded = 0
    private var documentSpan: SourceSpan?
    private var root: YAMLNode?

    init(limits: YAMLLimits, source: SourceText, single: Bool) {
        self.limits = limits
        self.source = source
        self.single = single
    }

    private func fail(_ diagnostic: Diagnostic) -> YAMLError {
        YAMLError(diagnostic: diagnostic, source: source)
    }

    mutating func handle(_ event: YAMLEvent) throws(YAMLError) {
        let span = event.span
        switch event.kind {
        case .streamStart:
            break
        case .streamEnd:
            finished = true
        case .documentStart:
            if single, !documents.isEmpty { throw fail(YAMLDiagnostics.multipleDocuments(span: span)) }
            documentSpan = span
            anchors = [:]
            expanded = 0
            root = nil
            stack = []
        case .documentEnd:
            if let root, let documentSpan {
                documents.append(YAMLDocument(root: root, span: documentSpan, source: source))
            }
            root = nil
        case .scalar(let scalar, let tag, let anchor):
            let size = scalar.text.utf8.count
            if size > limits.maxScalarBytes {
                throw fail(YAMLDiagnostics.scalarTooLong(size: size, limit: limits.maxScalarBytes, span: span))
            }
            let node = YAMLNode(.scalar(scalar), tag: tag, anchor: anchor, span: span)
            try add(Built(node: node, count: 1, height: 0), anchor: anchor)
        case .alias(let name):
            guard let target = anchors[name] else {
                throw fail(YAMLDiagnostics.undefinedAlias(name, span: span))
            }
            if target.count > limits.maxAliasExpansion - expanded {
                throw fail(YAMLDiagnostics.aliasExpansion(alias: name, limit: limits.maxAliasExpansion, span: span))
            }
            if stack.count + target.height > limits.maxDepth {
                throw fail(YAMLDiagnostics.tooDeep(limit: limits.maxDepth, span: span))
            }
            expanded += target.count
            var copy = target
            copy.node.span = span
            try add(copy, anchor: nil)
        case .sequenceStart(let tag, let anchor):
            try open(Frame(isMapping: false, start: span.start, tag: tag, anchor: anchor), span: span)
        case .mappingStart(let tag, let anchor):
            try open(Frame(isMapping: true, start: span.start, tag: tag, anchor: anchor), span: span)
        case .sequenceEnd, .mappingEnd:
            guard let frame = stack.popLast() else { return }
            let whole = SourceSpan(file: span.file, start: frame.start, end: span.end)
            let kind: YAMLNode.Kind = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
            let node = YAMLNode(kind, tag: frame.tag, anchor: frame.anchor, span: whole)
            try add(Built(node: node, count: frame.count, height: frame.height), anchor: frame.anchor)
        }
    }

    private mutating func open(_ frame: Frame, span: SourceSpan) throws(YAMLError) {
        if stack.count + 1 > limits.maxDepth {
            throw fail(YAMLDiagnostics.tooDeep(limit: limits.maxDepth, span: span))
        }
        stack.append(frame)
    }

    /// Puts a finished node into its parent (or makes it the document's root).
    private mutating func add(_ built: Built, anchor: String?) throws(YAMLError) {
        if let anchor { anchors[anchor] = built }
        guard !stack.isEmpty else {
            root = built.node
            return
        }
        let top = stack.count - 1
        stack[top].count += built.count
        stack[top].height = max(stack[top].height, built.height + 1)
        guard stack[top].isMapping else {
            stack[top].items.append(built.node)
            return
        }
        guard let key = stack[top].pendingKey else {
            try checkKey(built.node, frame: top)
            stack[top].pendingKey = built.node
            return
        }
        stack[top].pairs.append(YAMLNode.Pair(key: key, value: built.node))
        stack[top].pendingKey = nil
    }

    /// Rejects merge keys and repeated scalar keys (compared by their text, whatever the style).
    private mutating func checkKey(_ key: YAMLNode, frame top: Int) throws(YAMLError) {
        guard let scalar = key.scalar else { return }
        if scalar.style == .plain, key.tag == nil, scalar.text == "<<" {
            throw fail(YAMLDiagnostics.mergeKey(span: key.span))
        }
        if let firstLine = stack[top].keyLines[scalar.text] {
            throw fail(YAMLDiagnostics.duplicateKey(scalar.text, span: key.span, firstLine: firstLine))
        }
        stack[top].keyLines[scalar.text] = key.span.start.line
    }
}
