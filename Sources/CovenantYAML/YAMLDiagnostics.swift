import CovenantSource

/// The reader's diagnostics, one factory per code, each worded in en and zh.
enum YAMLDiagnostics {
    static func make(
        _ code: YAMLErrorCode, span: SourceSpan, en: String, zh: String,
        helpEn: String? = nil, helpZh: String? = nil
    ) -> Diagnostic {
        var help: LocalizedText?
        if let helpEn, let helpZh { help = LocalizedText(en: helpEn, zh: helpZh) }
        return Diagnostic(
            .error, code: code.rawValue, message: LocalizedText(en: en, zh: zh), span: span, help: help)
    }

    /// User text quoted for a message: cut to 40 scalars, so a huge key cannot flood the terminal.
    static func quoted(_ text: String) -> String {
        let limit = 40
        let scalars = text.unicodeScalars
        if scalars.count <= limit { return "`\(text)`" }
        var cut = String.UnicodeScalarView()
        cut.append(contentsOf: scalars.prefix(limit))
        return "`\(String(cut))…`"
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return "0x" + (digits.count < 2 ? "0" + digits : digits)
    }

    static func codePoint(_ value: UInt32) -> String {
        var digits = String(value, radix: 16, uppercase: true)
        while digits.count < 4 { digits = "0" + digits }
        return "U+" + digits
    }

    static func tabIndentation(_ span: SourceSpan) -> Diagnostic {
        make(.tabIndentation, span: span,
             en: "tab character used for indentation", zh: "缩进中使用了制表符",
             helpEn: "indent with spaces", helpZh: "请用空格缩进")
    }

    static func duplicateKey(_ key: String, span: SourceSpan, firstLine: Int) -> Diagnostic {
        let q = quoted(key)
        return make(.duplicateKey, span: span,
                    en: "duplicate key \(q)", zh: "重复的键 \(q)",
                    helpEn: "the first \(q) is on line \(firstLine)",
                    helpZh: "第一个 \(q) 在第 \(firstLine) 行")
    }

    static func invalidUTF8(byte: UInt8, span: SourceSpan) -> Diagnostic {
        make(.invalidUTF8, span: span,
             en: "invalid UTF-8 byte \(hex(byte))", zh: "无效的 UTF-8 字节 \(hex(byte))",
             helpEn: "save the file as UTF-8", helpZh: "请将文件保存为 UTF-8 编码")
    }

    static func notUTF8(_ encoding: String, span: SourceSpan) -> Diagnostic {
        make(.notUTF8, span: span,
             en: "file is not UTF-8 (looks like \(encoding))",
             zh: "文件不是 UTF-8 编码（看起来是 \(encoding)）",
             helpEn: "convert it to UTF-8, e.g. with `iconv -f \(encoding) -t UTF-8`",
             helpZh: "请转换为 UTF-8，例如使用 `iconv -f \(encoding) -t UTF-8`")
    }

    static func fileTooLarge(size: Int, limit: Int, span: SourceSpan) -> Diagnostic {
        make(.fileTooLarge, span: span,
             en: "file is too large (\(size) bytes; the limit is \(limit))",
             zh: "文件过大（\(size) 字节，上限为 \(limit)）",
             helpEn: "split it into smaller files", helpZh: "请拆分为较小的文件")
    }

    static func tooDeep(limit: Int, span: SourceSpan) -> Diagnostic {
        make(.tooDeep, span: span,
             en: "nesting is deeper than \(limit) levels", zh: "嵌套超过 \(limit) 层",
             helpEn: "flatten the structure", helpZh: "请减少嵌套层数")
    }

    static func scalarTooLong(size: Int, limit: Int, span: SourceSpan) -> Diagnostic {
        make(.scalarTooLong, span: span,
             en: "scalar is too long (\(size) bytes; the limit is \(limit))",
             zh: "标量过长（\(size) 字节，上限为 \(limit)）",
             helpEn: "shorten the value", helpZh: "请缩短该值")
    }

    static func aliasExpansion(alias: String, limit: Int, span: SourceSpan) -> Diagnostic {
        let q = quoted("*" + alias)
        return make(.aliasExpansion, span: span,
                    en: "alias \(q) expands the document past \(limit) nodes",
                    zh: "别名 \(q) 展开后文档超过 \(limit) 个节点",
                    helpEn: "this looks like an alias bomb; use fewer or smaller aliases",
                    helpZh: "这看起来像别名炸弹；请减少或缩小别名")
    }

    static func undefinedAlias(_ alias: String, span: SourceSpan) -> Diagnostic {
        make(.undefinedAlias, span: span,
             en: "undefined alias \(quoted("*" + alias))", zh: "未定义的别名 \(quoted("*" + alias))",
             helpEn: "define \(quoted("&" + alias)) on a node before this point in the same document",
             helpZh: "请在同一文档中此处之前用 \(quoted("&" + alias)) 定义锚点")
    }

    static func multipleDocuments(span: SourceSpan) -> Diagnostic {
        make(.multipleDocuments, span: span,
             en: "expected a single YAML document, found a second one",
             zh: "应只有一个 YAML 文档，但发现了第二个",
             helpEn: "remove the `---` separator, or split the file",
             helpZh: "请删除 `---` 分隔符，或拆分文件")
    }

    static func noDocument(span: SourceSpan) -> Diagnostic {
        make(.noDocument, span: span,
             en: "no YAML document in the file", zh: "文件中没有 YAML 文档",
             helpEn: "the file is empty or holds only comments",
             helpZh: "文件为空或只有注释")
    }

    static func controlCharacter(_ value: UInt32, span: SourceSpan) -> Diagnostic {
        let cp = codePoint(value)
        return make(.controlCharacter, span: span,
                    en: "control character \(cp) is not allowed", zh: "不允许使用控制字符 \(cp)",
                    helpEn: "remove it; tab and line breaks are the only control characters YAML accepts",
                    helpZh: "请删除它；YAML 只接受制表符和换行这几种控制字符")
    }

    static func mergeKey(span: SourceSpan) -> Diagnostic {
        make(.mergeKey, span: span,
             en: "merge keys (`<<`) are not supported", zh: "不支持合并键（`<<`）",
             helpEn: "write the keys out in full, or quote it (`\"<<\"`) to use it as an ordinary key",
             helpZh: "请完整写出各个键，或加引号（`\"<<\"`）作为普通键使用")
    }
}
