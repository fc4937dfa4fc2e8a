import CYAML
import CovenantSource

/// Reads YAML files into node trees with positions, for the later stages to type by schema.
///
/// Before libyaml sees anything, the reader checks the size limit, rejects UTF-16 and UTF-32,
/// skips a UTF-8 BOM, and validates the UTF-8 and YAML's allowed characters itself. It then
/// builds the tree from libyaml's *events* (not its document loader), with an explicit stack.
/// Scalars are never converted: `no`, `on`, `010`, `1e3` and `~` all stay text with their style.
///
/// Positions: lines and columns are 1-based, columns count Unicode scalars, and offsets are UTF-8
/// byte offsets into the stream's ``YAMLStream/source`` text (the file without its BOM).
///
/// Merge keys (a plain `<<` key) are rejected with `Y0014`; a quoted `"<<"` is an ordinary key.
public enum YAMLReader {
    /// Reads every document of a file.
    ///
    /// - Parameters:
    ///   - bytes: the file's bytes.
    ///   - file: the name diagnostics print.
    ///   - limits: the bounds to enforce.
    /// - Returns: the file's text and its documents (none for an empty or comment-only file).
    public static func parseStream(
        bytes: [UInt8], file: String, limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLStream {
        try read(bytes: bytes, file: file, limits: limits, single: false)
    }

    /// Reads every document of a text; see ``parseStream(bytes:file:limits:)``.
    public static func parseStream(
        _ text: String, file: String, limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLStream {
        try read(bytes: Array(text.utf8), file: file, limits: limits, single: false)
    }

    /// Reads a file that must hold exactly one document: a second document is an error at its
    /// start (`Y0011`, reported before it is parsed), and so is a file with none (`Y0012`).
    public static func parseDocument(
        bytes: [UInt8], file: String, limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLDocument {
        let stream = try read(bytes: bytes, file: file, limits: limits, single: true)
        guard let document = stream.documents.first else {
            let start = SourceSpan(file: file, start: SourceLocation(line: 1, column: 1, offset: 0))
            throw YAMLError(diagnostic: YAMLDiagnostics.noDocument(span: start), source: stream.source)
        }
        return document
    }

    /// Reads a text that must hold exactly one document; see ``parseDocument(bytes:file:limits:)``.
    public static func parseDocument(
        _ text: String, file: String, limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLDocument {
        try parseDocument(bytes: Array(text.utf8), file: file, limits: limits)
    }

    // MARK: - Checks before parsing

    static func read(
        bytes: [UInt8], file: String, limits: YAMLLimits, single: Bool
    ) throws(YAMLError) -> YAMLStream {
        let fileStart = SourceSpan(file: file, start: SourceLocation(line: 1, column: 1, offset: 0))
        if bytes.count > limits.maxFileBytes {
            throw YAMLError(diagnostic: YAMLDiagnostics.fileTooLarge(
                size: bytes.count, limit: limits.maxFileBytes, span: fileStart))
        }
        if let encoding = UTF8Validation.foreignEncoding(bytes) {
            throw YAMLError(diagnostic: YAMLDiagnostics.notUTF8(encoding, span: fileStart))
        }
        let body = UTF8Validation.hasBOM(bytes) ? Array(bytes.dropFirst(3)) : bytes
        let source = SourceText(name: file, text: String(decoding: body, as: UTF8.self))
        if let problem = UTF8Validation.firstProblem(in: body) {
            // The decoded text equals the bytes up to the problem, so its line table locates it.
            switch problem {
            case .invalidByte(let offset, let byte):
                let span = SourceSpan(file: file, start: source.location(ofUTF8Offset: offset))
                throw YAMLError(diagnostic: YAMLDiagnostics.invalidUTF8(byte: byte, span: span), source: source)
            case .controlCharacter(let offset, let value):
                let span = SourceSpan(file: file, start: source.location(ofUTF8Offset: offset))
                throw YAMLError(diagnostic: YAMLDiagnostics.controlCharacter(value, span: span), source: source)
            }
        }
        if body.isEmpty { return YAMLStream(source: source, documents: []) }
        let documents = try parseEvents(body, source: source, limits: limits, single: single)
        return YAMLStream(source: source, documents: documents)
    }

    // MARK: - libyaml

    static func parseEvents(
        _ body: [UInt8], source: SourceText, limits: YAMLLimits, single: Bool
    ) throws(YAMLError) -> [YAMLDocument] {
        // The parser keeps a pointer to itself (its read handler's data), so it needs a stable address.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { event.deallocate() }
        guard yaml_parser_initialize(parser) != 0 else {
            throw YAMLError(diagnostic: outOfMemory(file: source.name), source: source)
        }
        defer { yaml_parser_delete(parser) }

        var builder = YAMLTreeBuilder(limits: limits, source: source, single: single)
        var positions = PositionTracker(bytes: body)
        let result: Result<Void, YAMLError> = body.withUnsafeBufferPointer { buffer in
            // `buffer` stays valid for the whole parse: libyaml reads it lazily.
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            while !builder.finished {
                guard yaml_parser_parse(parser, event) != 0 else {
                    return .failure(libyamlError(parser, source: source, positions: &positions))
                }
                let converted = convert(event, file: source.name, positions: &positions)
                yaml_event_delete(event)
                do throws(YAMLError) {
                    try builder.handle(converted)
                } catch {
                    return .failure(error)
                }
            }
            return .success(())
        }
        try result.get()
        return builder.documents
    }

    static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    static func convert(
        _ event: UnsafeMutablePointer<yaml_event_t>, file: String, positions: inout PositionTracker
    ) -> YAMLEvent {
        let e = event.pointee
        let start = positions.location(ofCharacter: Int(e.start_mark.index))
        let end = positions.location(ofCharacter: Int(e.end_mark.index))
        let span = SourceSpan(file: file, start: start, end: end)
        let kind: YAMLEvent.Kind
        switch e.type {
        case YAML_STREAM_START_EVENT: kind = .streamStart
        case YAML_DOCUMENT_START_EVENT: kind = .documentStart
        case YAML_DOCUMENT_END_EVENT: kind = .documentEnd
        case YAML_ALIAS_EVENT: kind = .alias(string(e.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let data = e.data.scalar
            let text = data.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: Int(data.length)), as: UTF8.self)
            } ?? ""
            let style: YAMLScalarStyle
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            kind = .scalar(YAMLScalar(text: text, style: style), tag: string(data.tag), anchor: string(data.anchor))
        case YAML_SEQUENCE_START_EVENT:
            let data = e.data.sequence_start
            kind = .sequenceStart(tag: string(data.tag), anchor: string(data.anchor))
        case YAML_SEQUENCE_END_EVENT: kind = .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let data = e.data.mapping_start
            kind = .mappingStart(tag: string(data.tag), anchor: string(data.anchor))
        case YAML_MAPPING_END_EVENT: kind = .mappingEnd
        default: kind = .streamEnd  // YAML_STREAM_END_EVENT (YAML_NO_EVENT never comes from a successful parse)
        }
        return YAMLEvent(kind: kind, span: span)
    }

    // MARK: - libyaml's errors

    static func outOfMemory(file: String) -> Diagnostic {
        YAMLDiagnostics.make(
            .syntax, span: SourceSpan(file: file, start: SourceLocation(line: 1, column: 1, offset: 0)),
            en: "out of memory while reading YAML", zh: "读取 YAML 时内存不足")
    }

    static func libyamlError(
        _ parser: UnsafeMutablePointer<yaml_parser_t>, source: SourceText, positions: inout PositionTracker
    ) -> YAMLError {
        let p = parser.pointee
        let file = source.name
        let problem = p.problem.map { String(cString: $0) } ?? "unknown problem"
        switch p.error {
        case YAML_MEMORY_ERROR:
            return YAMLError(diagnostic: outOfMemory(file: file), source: source)
        case YAML_READER_ERROR:
            // Not expected: the bytes were validated before. Report where libyaml stopped reading.
            let location = source.location(ofUTF8Offset: Int(p.problem_offset))
            let span = SourceSpan(file: file, start: location)
            let diagnostic = YAMLSyntaxMessages.diagnostic(
                problem: problem, context: nil, contextLocation: nil, span: span)
            return YAMLError(diagnostic: diagnostic, source: source)
        default:
            let location = positions.location(ofCharacter: Int(p.problem_mark.index))
            if let tab = tabInIndentation(before: location, source: source) {
                return YAMLError(diagnostic: YAMLDiagnostics.tabIndentation(SourceSpan(file: file, start: tab)), source: source)
            }
            var context: String?
            var contextLocation: SourceLocation?
            if let c = p.context {
                context = String(cString: c)
                contextLocation = positions.location(ofCharacter: Int(p.context_mark.index))
            }
            let diagnostic = YAMLSyntaxMessages.diagnostic(
                problem: problem, context: context, contextLocation: contextLocation,
                span: SourceSpan(file: file, start: location))
            return YAMLError(diagnostic: diagnostic, source: source)
        }
    }

    /// The first tab in the indentation of the line of `location`, when the indentation reaches it.
    ///
    /// Indentation is the run of spaces and tabs at the start of the line, including block
    /// indicators (`-`, `?`, `:`) that are followed by a space or tab. libyaml reports a tab there
    /// as "found character that cannot start any token" or as a tab that "violates indentation";
    /// the reader says what it is.
    static func tabInIndentation(before location: SourceLocation, source: SourceText) -> SourceLocation? {
        let number = location.line, column = location.column, offset = location.offset
        guard let line = source.line(number) else { return nil }
        let scalars = Array(line.unicodeScalars)
        var firstTab: Int?
        var i = 0
        while i < scalars.count, i + 1 <= column {
            let scalar = scalars[i]
            if scalar == "\t" {
                if firstTab == nil { firstTab = i }
            } else if scalar == " " {
                // indentation
            } else if scalar == "-" || scalar == "?" || scalar == ":",
                      i + 1 < scalars.count, scalars[i + 1] == " " || scalars[i + 1] == "\t" {
                // block indicator inside the indentation
            } else if i + 1 < column {
                return nil  // content before the problem: the tab is not indentation
            }
            i += 1
        }
        guard let firstTab else { return nil }
        let upTo = min(column - 1, scalars.count)
        var between = String.UnicodeScalarView()
        if firstTab < upTo { between.append(contentsOf: scalars[firstTab..<upTo]) }
        return SourceLocation(line: number, column: firstTab + 1, offset: offset - String(between).utf8.count)
    }
}
