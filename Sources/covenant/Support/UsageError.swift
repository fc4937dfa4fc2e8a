import CovenantSource

/// An option's value the command cannot use (U0015), worded in the user's language and rendered
/// as a diagnostic: ArgumentParser's `ValidationError` is English only and prints the root
/// command's usage line, not the subcommand's. Exits 2.
struct UsageError: Error, CustomStringConvertible {
    let rendered: String
    var description: String { rendered }

    init(_ language: LanguageOption, en: String, zh: String) {
        rendered = language.renderer().render(Diagnostic(.error, code: "U0015", message: .init(en: en, zh: zh)))
    }
}
