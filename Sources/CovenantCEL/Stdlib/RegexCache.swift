import Synchronization

/// A process-wide, bounded cache of compiled regular expressions, so that a `matches` call with a
/// pattern computed at run time does not recompile it for every evaluation.
final class RegexCache: Sendable {
    static let shared = RegexCache()
    private let storage = Mutex<[String: CompiledRegex]>([:])
    private let capacity = 256

    func compile(_ pattern: String, maxLength: Int = CELLimits.default.maxRegexLength) throws(EvalError) -> CompiledRegex {
        if let cached = storage.withLock({ $0[pattern] }) { return cached }
        if pattern.unicodeScalars.count > maxLength {
            throw .invalid("regular expression is longer than the limit of \(maxLength) code points",
                           "正则表达式长度超过上限 \(maxLength) 个字符")
        }
        let regex: CompiledRegex
        do {
            regex = try CompiledRegex(pattern: pattern)
        } catch {
            throw .invalid("invalid regular expression `\(pattern)`: \(error.message)",
                           "无效的正则表达式 `\(pattern)`：\(error.zhMessage)")
        }
        storage.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[pattern] = regex
        }
        return regex
    }
}
