import CovenantSource

/// A libyaml event translated into Swift values, positioned with ``SourceSpan``s.
struct YAMLEvent: Sendable {
    enum Kind: Sendable {
        case streamStart
        case streamEnd
        case documentStart
        case documentEnd
        case scalar(YAMLScalar, tag: String?, anchor: String?)
        case alias(String)
        case sequenceStart(tag: String?, anchor: String?)
        case sequenceEnd
        case mappingStart(tag: String?, anchor: String?)
        case mappingEnd
    }

    var kind: Kind
    var span: SourceSpan
}
