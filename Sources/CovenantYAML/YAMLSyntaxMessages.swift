import CovenantSource

/// Turns libyaml's problem and context strings into a Y0001 diagnostic in both languages.
enum YAMLSyntaxMessages {
    /// libyaml's problem texts in Chinese; anything not listed is shown in English.
    static let zhProblems: [String: String] = [
        "found character that cannot start any token": "发现不能作为任何记号开头的字符",
        "found unexpected end of stream": "文件意外结束",
        "mapping values are not allowed in this context": "此处不允许出现映射值",
        "mapping keys are not allowed in this context": "此处不允许出现映射键",
        "block sequence entries are not allowed in this context": "此处不允许出现块序列条目",
        "did not find expected key": "未找到预期的键",
        "did not find expected node content": "未找到预期的节点内容",
        "did not find expected ',' or ']'": "未找到预期的 `,` 或 `]`",
        "did not find expected ',' or '}'": "未找到预期的 `,` 或 `}`",
        "did not find expected '-' indicator": "未找到预期的 `-` 标记",
        "could not find expected ':'": "未找到预期的 `:`",
        "found unexpected ':'": "发现意外的 `:`",
        "found unexpected document indicator": "发现意外的文档标记",
        "did not find expected <document start>": "未找到预期的文档开始标记",
        "did not find expected comment or line break": "未找到预期的注释或换行",
        "did not find expected whitespace or line break": "未找到预期的空白或换行",
        "did not find expected whitespace": "未找到预期的空白",
        "did not find expected alphabetic or numeric character": "未找到预期的字母或数字",
        "found unknown escape character": "发现未知的转义字符",
        "found invalid Unicode character escape code": "发现无效的 Unicode 转义码",
        "did not find expected hexdecimal number": "未找到预期的十六进制数",
        "found an indentation indicator equal to 0": "缩进指示符不能为 0",
        "found undefined tag handle": "发现未定义的标签句柄",
        "did not find expected tag URI": "未找到预期的标签 URI",
        "did not find expected '!'": "未找到预期的 `!`",
        "did not find the expected '>'": "未找到预期的 `>`",
        "found unknown directive name": "发现未知的指令名",
        "found incompatible YAML document": "发现不兼容的 YAML 文档版本",
        "found duplicate %YAML directive": "发现重复的 %YAML 指令",
        "found duplicate %TAG directive": "发现重复的 %TAG 指令",
        "found a tab character that violates indentation": "制表符破坏了缩进",
        "found a tab character where an indentation space is expected": "此处应为缩进空格，却发现了制表符",
    ]

    /// libyaml quotes with `'x'`; Covenant's messages quote with backticks.
    static func backticked(_ text: String) -> String {
        var out = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == "'", i + 2 < chars.count, chars[i + 2] == "'" {
                out += "`\(chars[i + 1])`"
                i += 3
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }

    /// - Parameters:
    ///   - problem: libyaml's `problem`.
    ///   - context: libyaml's `context`, when set.
    ///   - contextLocation: where the context started, when set.
    static func diagnostic(
        problem: String, context: String?, contextLocation: SourceLocation?, span: SourceSpan
    ) -> Diagnostic {
        let en = "syntax error: " + backticked(problem)
        let zh = "语法错误：" + (zhProblems[problem] ?? backticked(problem))
        var helpEn: String?
        var helpZh: String?
        let line = contextLocation?.line ?? 0
        let column = contextLocation?.column ?? 0
        switch (problem, context) {
        case ("found unexpected end of stream", "while scanning a quoted scalar"?):
            helpEn = "the quoted string opened at line \(line), column \(column) is never closed"
            helpZh = "第 \(line) 行第 \(column) 列开始的引号字符串没有闭合"
        case ("mapping values are not allowed in this context", _):
            helpEn = "a plain value cannot contain `: `; put the value in quotes"
            helpZh = "不加引号的值中不能包含 `: `，请给值加上引号"
        case ("did not find expected key", _) where contextLocation != nil:
            helpEn = "check the indentation: this line does not line up with the mapping that starts on line \(line)"
            helpZh = "请检查缩进：这一行与第 \(line) 行开始的映射没有对齐"
        case ("did not find expected '-' indicator", _) where contextLocation != nil:
            helpEn = "check the indentation: this line does not line up with the list that starts on line \(line)"
            helpZh = "请检查缩进：这一行与第 \(line) 行开始的列表没有对齐"
        case ("did not find expected ',' or ']'", _) where contextLocation != nil:
            helpEn = "the `[` at line \(line), column \(column) is not closed with `]`"
            helpZh = "第 \(line) 行第 \(column) 列的 `[` 没有用 `]` 闭合"
        case ("did not find expected ',' or '}'", _) where contextLocation != nil:
            helpEn = "the `{` at line \(line), column \(column) is not closed with `}`"
            helpZh = "第 \(line) 行第 \(column) 列的 `{` 没有用 `}` 闭合"
        default:
            if let context, contextLocation != nil {
                helpEn = "\(context) that starts at line \(line), column \(column)"
                helpZh = "出错时正在解析第 \(line) 行第 \(column) 列开始的内容（libyaml：\(context)）"
            }
        }
        return YAMLDiagnostics.make(.syntax, span: span, en: en, zh: zh, helpEn: helpEn, helpZh: helpZh)
    }
}
