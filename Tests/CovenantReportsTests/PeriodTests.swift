import CovenantCEL
import CovenantModel
import CovenantReports
import Testing

@Suite struct PeriodTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let date: (Int, Int, Int)
        let period: Period
        let label: String
        var testDescription: String { "\(date) \(period) → \(label)" }
    }

    static let cases: [Case] = [
        Case(date: (2026, 7, 15), period: .day, label: "2026-07-15"),
        Case(date: (2026, 7, 15), period: .month, label: "2026-07"),
        Case(date: (2026, 7, 1), period: .quarter, label: "2026-Q3"),
        Case(date: (2026, 9, 30), period: .quarter, label: "2026-Q3"),
        Case(date: (2026, 10, 1), period: .quarter, label: "2026-Q4"),
        Case(date: (2026, 12, 31), period: .year, label: "2026"),
        // ISO weeks: 2026-01-01 is a Thursday, so it is in 2026-W01; 2024-12-30 (a Monday) is in 2025-W01;
        // 2027-01-01 (a Friday) is in 2026-W53.
        Case(date: (2026, 1, 1), period: .week, label: "2026-W01"),
        Case(date: (2024, 12, 30), period: .week, label: "2025-W01"),
        Case(date: (2027, 1, 1), period: .week, label: "2026-W53"),
        Case(date: (2026, 7, 15), period: .week, label: "2026-W29"),
        Case(date: (2021, 1, 3), period: .week, label: "2020-W53"),
        Case(date: (1970, 1, 1), period: .week, label: "1970-W01"),
    ]

    @Test(arguments: cases)
    func labels(_ c: Case) {
        let k = Periods.key(year: c.date.0, month: c.date.1, day: c.date.2, period: c.period)
        #expect(k.label == c.label)
        #expect(Periods.parse(c.label) == k)
        #expect(Periods.key(ordinal: k.ordinal, period: c.period) == k)
    }

    @Test func previousPeriods() {
        #expect(Periods.parse("2026-Q1")!.previous.label == "2025-Q4")
        #expect(Periods.parse("2026-01")!.previous.label == "2025-12")
        #expect(Periods.parse("2026-W01")!.previous.label == "2025-W52")
        #expect(Periods.parse("2026-03-01")!.previous.label == "2026-02-28")
    }

    @Test func periodsAreInTheConventionsZone() {
        // 2026-06-30T16:30:00Z is 00:30 on July 1 in Shanghai: Q3 there, Q2 in UTC.
        let t = Timestamp.parse("2026-06-30T16:30:00Z")!
        #expect(Periods.key(t, period: .quarter, timezone: "Asia/Shanghai")?.label == "2026-Q3")
        #expect(Periods.key(t, period: .quarter, timezone: "UTC")?.label == "2026-Q2")
    }

    @Test func invalidLabels() {
        for text in ["2026-Q5", "2026-13", "2026-W54", "26-Q1", "2026-02-30", "Q3"] { #expect(Periods.parse(text) == nil, "\(text)") }
    }
}
