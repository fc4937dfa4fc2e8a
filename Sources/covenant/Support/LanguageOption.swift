import ArgumentParser
import CovenantSource

/// `--lang en|zh`, shared by every command; the default comes from `LANG`.
struct LanguageOption: ParsableArguments {
    @Option(name: .long, help: "Language of messages: en or zh (default: from LANG).")
    var lang: Language?

    var language: Language { Terminal.language(lang) }

    func renderer() -> DiagnosticRenderer {
        DiagnosticRenderer(language: language, color: Terminal.colorAllowed(forStderr: true))
    }
}
