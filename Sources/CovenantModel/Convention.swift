import CovenantCEL
import CovenantSource

/// A loaded, checked convention: everything the engine needs, with every condition compiled.
/// Immutable and `Sendable`; share one value across tasks.
public struct Convention: Sendable {
    /// Creates a value from all its parts.
    public init(id: String, title: LocalizedText, version: Int, timezone: String, effective: Effective, points: PointsPolicy?, zones: [String], groups: [String: Group], authorities: [String: Authority], roster: RosterSchema, categories: [String: Category], rules: [Rule], credits: [Credit], recognitions: [Recognition], exemptions: [Exemption], files: [String]) {
        self.id = id
        self.title = title
        self.version = version
        self.timezone = timezone
        self.effective = effective
        self.points = points
        self.zones = zones
        self.groups = groups
        self.authorities = authorities
        self.roster = roster
        self.categories = categories
        self.rules = rules
        self.credits = credits
        self.recognitions = recognitions
        self.exemptions = exemptions
        self.files = files
    }

    /// The convention's id (`laoshiqu`).
    public var id: String
    /// Its title in zh and en.
    public var title: LocalizedText
    /// The DSL version (`covenant: 1`).
    public var version: Int
    /// The time zone `local.*` and effective dates are read in.
    public var timezone: String
    /// The convention is in force from this local date (inclusive), when given.
    public var effective: Effective
    /// Household points: the initial balance and the period it resets.
    public var points: PointsPolicy?
    /// Declared zones, in order.
    public var zones: [String]
    /// Declared groups (repeat counting across related rules).
    public var groups: [String: Group]
    /// Declared authorities a ladder step may refer to.
    public var authorities: [String: Authority]
    /// Declared roster attributes (typed `household.*` and `building.*`).
    public var roster: RosterSchema
    /// Categories by id.
    public var categories: [String: Category]
    /// Rules in file order (imports first).
    public var rules: [Rule]
    /// Credits for deeds.
    public var credits: [Credit]
    /// Recognitions (computed by the tallies).
    public var recognitions: [Recognition]
    /// Exemptions.
    public var exemptions: [Exemption]
    /// Files the convention was loaded from (the root file first, then imports).
    public var files: [String]

    /// Rules by category, in file order.
    public var rulesByCategory: [String: [Int]] {
        var out: [String: [Int]] = [:]
        for (i, r) in rules.enumerated() { out[r.category, default: []].append(i) }
        return out
    }
}

/// A range of local calendar dates: `from` inclusive, `until` exclusive.
public struct Effective: Sendable, Hashable {
    /// First day in force.
    public var from: LocalDate?
    /// First day no longer in force.
    public var until: LocalDate?

    /// Creates a range.
    public init(from: LocalDate? = nil, until: LocalDate? = nil) {
        self.from = from
        self.until = until
    }

    /// Whether a local date is inside the range.
    public func contains(_ date: LocalDate) -> Bool {
        if let from, date < from { return false }
        if let until, date >= until { return false }
        return true
    }
}

/// A calendar date without a time zone.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Creates a date (not validated).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil when malformed or not a real date.
    public static func parse(_ text: String) -> LocalDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              m >= 1, m <= 12, d >= 1
        else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard d <= days else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public var description: String {
        func p(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(p(year, 4))-\(p(month, 2))-\(p(day, 2))"
    }
}

/// How household points work.
public struct PointsPolicy: Sendable, Hashable {
    /// The largest magnitude a number of points may have wherever a convention gives one (a rule's,
    /// a ladder step's, a credit's, a starting balance) or a credit's expression computes one.
    /// Sums of points over any input Covenant can read (below 9 × 10^12 violations) stay far from
    /// 2^63, so balances, tallies and rankings add them without overflow.
    public static let maxMagnitude = 1_000_000

    /// Whether `points` is within ±``maxMagnitude``.
    public static func allows(_ points: Int) -> Bool { points.magnitude <= UInt(maxMagnitude) }

    /// ``maxMagnitude`` as messages spell it, its digits grouped by three (`1,000,000`).
    public static var maxMagnitudeText: String {
        let digits = Array(String(maxMagnitude))
        var text = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    /// Creates a value from all its parts.
    public init(initial: Int, period: Period) {
        self.initial = initial
        self.period = period
    }

    /// The balance each household starts a period with.
    public var initial: Int
    /// The period after which balances start again.
    public var period: Period
}

/// A reporting or reset period.
public enum Period: String, Sendable, Hashable, CaseIterable {
    case day, week, month, quarter, year
}

/// A group of related rules whose repeats count together.
public struct Group: Sendable, Hashable {
    /// Creates a value from all its parts.
    public init(id: String, title: LocalizedText?) {
        self.id = id
        self.title = title
    }

    public var id: String
    public var title: LocalizedText?
}

/// An authority a ladder step may refer a case to (fire brigade, police, …).
public struct Authority: Sendable, Hashable {
    /// Creates a value from all its parts.
    public init(id: String, title: LocalizedText?) {
        self.id = id
        self.title = title
    }

    public var id: String
    public var title: LocalizedText?
}
