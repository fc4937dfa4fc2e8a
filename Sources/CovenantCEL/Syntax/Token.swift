/// A lexical token of a CEL expression.
enum TokenKind: Equatable, Sendable {
    case int(Int64)          // magnitude already range-checked by the lexer, except for the int64-min case
    case intOverflow(String) // a literal (decimal or 0x…, as written) that only fits as the magnitude of int64.min
    case uint(UInt64)
    case double(Double)
    case string(String)
    case bytes([UInt8])
    case ident(String)
    case reserved(String)
    case trueLit, falseLit, nullLit, inKeyword
    case punct(String)       // ( ) [ ] { } . , : ? ! - + * / % < <= > >= == != && ||
    case eof
}

/// A token with its UTF-8 byte range in the expression text.
struct Token: Sendable {
    var kind: TokenKind
    var start: Int
    var end: Int
}
