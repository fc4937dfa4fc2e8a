/// The one place that maps outcomes to exit statuses (documented in docs/exit-codes.md).
enum ExitStatus: Int32, Error {
    /// Everything was fine.
    case ok = 0
    /// Findings: errors in rules, violations, failed tests, an expression that failed.
    case findings = 1
    /// Usage errors or unreadable input.
    case usage = 2
}
