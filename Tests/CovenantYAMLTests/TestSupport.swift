import CovenantSource
import Testing

@testable import CovenantYAML

/// Parses `text` as a stream named `t.yaml`, recording an issue when it fails.
func stream(_ text: String, limits: YAMLLimits = .default, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> YAMLStream? {
    do throws(YAMLError) {
        return try YAMLReader.parseStream(text, file: "t.yaml", limits: limits)
    } catch {
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The root of the single document in `text`, recording an issue when it fails.
func root(_ text: String, limits: YAMLLimits = .default, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> YAMLNode? {
    do throws(YAMLError) {
        return try YAMLReader.parseDocument(text, file: "t.yaml", limits: limits).root
    } catch {
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The error reading `bytes` as a stream, or nil when they read fine.
func failure(bytes: [UInt8], limits: YAMLLimits = .default, single: Bool = false) -> YAMLError? {
    do throws(YAMLError) {
        if single {
            _ = try YAMLReader.parseDocument(bytes: bytes, file: "t.yaml", limits: limits)
        } else {
            _ = try YAMLReader.parseStream(bytes: bytes, file: "t.yaml", limits: limits)
        }
        return nil
    } catch {
        return error
    }
}

/// The error reading `text`, or nil when it reads fine.
func failure(_ text: String, limits: YAMLLimits = .default, single: Bool = false) -> YAMLError? {
    failure(bytes: Array(text.utf8), limits: limits, single: single)
}

/// Checks that reading `text` fails with `code` at `line`:`column`, and returns the error.
@discardableResult
func expectFailure(
    _ bytes: [UInt8], _ code: YAMLErrorCode, at line: Int, _ column: Int,
    limits: YAMLLimits = .default, single: Bool = false,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> YAMLError? {
    guard let error = failure(bytes: bytes, limits: limits, single: single) else {
        Issue.record("expected \(code.rawValue), but the input was accepted", sourceLocation: sourceLocation)
        return nil
    }
    #expect(error.diagnostic.code == code.rawValue, "\(error)", sourceLocation: sourceLocation)
    #expect(error.code == code, sourceLocation: sourceLocation)
    #expect(error.span?.file == "t.yaml", sourceLocation: sourceLocation)
    #expect(error.span?.start.line == line, "\(error)", sourceLocation: sourceLocation)
    #expect(error.span?.start.column == column, "\(error)", sourceLocation: sourceLocation)
    return error
}

@discardableResult
func expectFailure(
    _ text: String, _ code: YAMLErrorCode, at line: Int, _ column: Int,
    limits: YAMLLimits = .default, single: Bool = false,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> YAMLError? {
    expectFailure(Array(text.utf8), code, at: line, column, limits: limits, single: single, sourceLocation: sourceLocation)
}

extension SourceSpan {
    /// `line:col-line:col`, for compact expectations.
    var short: String { "\(start.line):\(start.column)-\(end.line):\(end.column)" }
}

/// Every node of a tree, depth first, keys before values.
func allNodes(_ node: YAMLNode) -> [YAMLNode] {
    var out: [YAMLNode] = []
    var todo = [node]
    while let next = todo.popLast() {
        out.append(next)
        switch next.kind {
        case .scalar: break
        case .sequence(let items): todo.append(contentsOf: items.reversed())
        case .mapping(let pairs): todo.append(contentsOf: pairs.reversed().flatMap { [$0.value, $0.key] })
        }
    }
    return out
}
