import ArgumentParser

/// `covenant`: the command-line front end. It wires the library's modules together and formats
/// their results; it holds no rule logic.
struct CovenantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "covenant",
        abstract: "Covenant: residents' conventions as checkable rules (居民公约规则引擎).",
        discussion: """
            Exit status: 0 ok, 1 findings (errors in rules, violations, failed tests, expression errors), \
            2 usage or unreadable input.
            """,
        version: "0.1.0",
        subcommands: [Check.self, Validate.self, Eval.self, TallyCommand.self, PointsCommand.self, RecognizeCommand.self, ReportCommand.self, ExplainCommand.self, TestCommand.self, RecordCommand.self, LedgerCommand.self, DiffCommand.self, CasesCommand.self, Expr.self]
    )
}
