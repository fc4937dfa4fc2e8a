import CovenantCEL
import CovenantModel
import CovenantReports
import CovenantSource

/// The committee's one-page report: headline numbers, compliance by grid and building, violations
/// by category month over month, the most and least improved buildings, points, and the honour
/// roll. One self-contained HTML file that prints on A4; no JavaScript, no network.
///
/// With `publicMode`, the page never shows more than each ladder step's `publish` level allows:
/// violations at level `none` are left out, building rows only count violations published at
/// `building` or above, households are masked (`H-12-2-***`, 王**), and names appear only masked.
struct ReportPage {
    let convention: Convention
    let roster: Roster
    let period: PeriodKey
    let language: Language
    let publicMode: Bool

    var grids: Tally
    var buildings: Tally
    var categories: Tally
    var community: Tally
    var points: PointsLedger
    var recognizer: Recognizer
    var records = 0

    init(convention: Convention, roster: Roster, period: PeriodKey, language: Language, publicMode: Bool) {
        self.convention = convention
        self.roster = roster
        self.period = period
        self.language = language
        self.publicMode = publicMode
        let range = (period.ordinal - 1)...period.ordinal
        grids = Tally(keys: [.grid], period: period.period, convention: convention, roster: roster, range: range)
        buildings = Tally(keys: [.building], period: period.period, convention: convention, roster: roster, range: range)
        community = Tally(keys: [], period: period.period, convention: convention, roster: roster, range: range)
        categories = Tally(keys: [.category], period: .month, convention: convention, roster: roster)
        points = PointsLedger(convention: convention, period: period.period, keepLines: [])
        recognizer = Recognizer(convention: convention, roster: roster, period: period)
    }

    /// The verdict as a public output may count it at a given level (nil: not at all).
    func visible(_ v: Verdict, atLeast level: PublishLevel) -> Verdict? {
        guard publicMode, !v.violations.isEmpty else { return v }
        var copy = v
        copy.violations = v.violations.filter { ($0.publish ?? .aggregate) >= level }
        return copy.violations.isEmpty ? nil : copy
    }

    mutating func add(_ v: Verdict) {
        records += 1
        if let g = visible(v, atLeast: .aggregate) {
            grids.add(g)
            community.add(g)
            if let t = v.occurredAt, let k = Periods.key(t, period: period.period, timezone: convention.timezone), k == period {
                categories.add(g)
            }
            points.add(g)
        }
        if let b = visible(v, atLeast: .building) { buildings.add(b) }
        recognizer.add(v)
    }

    mutating func addHistory(_ v: Verdict) {
        recognizer.add(v, history: true)
        if let g = visible(v, atLeast: .aggregate) {
            grids.add(g)
            community.add(g)
        }
        if let b = visible(v, atLeast: .building) { buildings.add(b) }
    }

    func t(_ en: String, _ zh: String) -> String { language == .zh ? zh : en }

    func render() -> String {
        let title = convention.title.text(language).isEmpty ? convention.id : convention.title.text(language)
        let current = community.rows().first { $0.period == period }?.counts ?? TallyCounts()
        let previous = community.rows().first { $0.period == period.previous }?.counts
        let honours = recognizer.results()
        var html = """
            <!DOCTYPE html>
            <html lang="\(language == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) — \(HTML.escape(period.label))</title>
            <style>
            @page { size: A4; margin: 14mm; }
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #222; margin: 0 auto; max-width: 180mm; font-size: 12px; }
            h1 { font-size: 20px; margin: 8px 0 2px; } h2 { font-size: 15px; margin: 18px 0 6px; border-bottom: 1px solid #ccc; padding-bottom: 2px; page-break-after: avoid; }
            .sub { color: #666; margin-bottom: 10px; }
            .headline { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px; }
            .kpi { border: 1px solid #ddd; border-radius: 4px; padding: 6px 8px; }
            .kpi b { display: block; font-size: 18px; } .kpi span { color: #666; }
            table { border-collapse: collapse; width: 100%; margin: 4px 0; } th, td { border-bottom: 1px solid #eee; padding: 3px 6px; text-align: left; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
            section { page-break-inside: avoid; } .chart { max-width: 100%; height: auto; } .empty { color: #999; }
            .note { color: #666; font-size: 11px; margin-top: 16px; }
            </style></head><body>
            <h1>\(HTML.escape(title))</h1>
            <div class="sub">\(HTML.escape(t("Compliance report", "遵约情况报告"))) · \(HTML.escape(period.label))\(publicMode ? " · " + HTML.escape(t("public edition", "公示版")) : "")</div>

            """
        // Headline numbers.
        func kpi(_ value: String, _ label: String, _ change: String? = nil) -> String {
            "<div class=\"kpi\"><b>\(HTML.escape(value))</b><span>\(HTML.escape(label))\(change.map { " (" + HTML.escape($0) + ")" } ?? "")</span></div>"
        }
        let change = previous.map { Numbers.signed(current.violations - $0.violations) }
        html += "<section><h2>\(t("Headline numbers", "主要数字"))</h2><div class=\"headline\">"
        html += kpi(String(current.reports), t("reports", "上报"))
        html += kpi(String(current.violations), t("violations", "违约"), change.map { t("vs previous: ", "较上期：") + $0 })
        html += kpi(Numbers.percent(current.complianceRate), t("inspections compliant", "巡查合规率"))
        html += kpi(String(current.inspections), t("inspections", "巡查"))
        html += kpi(String(current.referrals), t("referrals", "移交"))
        html += kpi(String(current.repeatHouseholds), t("repeat households", "屡犯户"))
        html += kpi(String(-current.deducted), t("points deducted", "扣分"))
        html += kpi(String(current.credited), t("points credited", "公益积分"))
        html += "</div></section>\n"
        // Compliance by grid.
        let gridRows = grids.rows().filter { $0.period == period && $0.keys[0] != "-" }
        html += "<section><h2>\(t("Compliance by grid", "各网格合规率"))</h2>"
        html += Charts.bars(gridRows.map { r in
            (r.keys[0], r.counts.complianceRate ?? 0, Numbers.percent(r.counts.complianceRate) + " · " + t("\(r.counts.violations) violations", "违约 \(r.counts.violations)"))
        }, max: 1)
        html += "</section>\n"
        // Compliance by building.
        let buildingRows = buildings.rows().filter {
            $0.period == period && $0.keys[0] != "-" && ($0.counts.inspections > 0 || $0.counts.violations > 0)
        }
        html += "<section><h2>\(t("Compliance by building", "各楼栋合规率"))</h2>"
        html += Charts.bars(buildingRows.map { r in
            (buildingLabel(r.keys[0]), r.counts.complianceRate ?? 0, Numbers.percent(r.counts.complianceRate) + " · " + t("\(r.counts.violations) violations", "违约 \(r.counts.violations)"))
        }, max: 1, color: "#3a9d5d")
        html += "</section>\n"
        // Violations by category, month over month.
        let months = Array(Set(categories.rows().map(\.period))).sorted()
        let categoryIDs = Array(Set(categories.rows().map { $0.keys[0] })).sorted().filter { $0 != "-" }
        var allSeries = categoryIDs.compactMap { c -> (name: String, values: [Double])? in
            let values = months.map { m in Double(categories.rows().first { $0.period == m && $0.keys[0] == c }?.counts.violations ?? 0) }
            guard values.contains(where: { $0 > 0 }) else { return nil }
            return (convention.categories[c]?.title?.text(language) ?? c, values)
        }
        // The six categories with the most violations get their own line; the rest are summed.
        allSeries.sort { $0.values.reduce(0, +) > $1.values.reduce(0, +) }
        var series = Array(allSeries.prefix(6))
        if allSeries.count > 6 {
            let rest = allSeries.dropFirst(6)
            series.append((t("other categories", "其他类别"), months.indices.map { i in rest.reduce(0) { $0 + $1.values[i] } }))
        }
        html += "<section><h2>\(t("Violations by category, month over month", "各类违约逐月变化"))</h2>"
        html += Charts.lines(x: months.map(\.label), series: series)
        html += "</section>\n"
        // Most and least improved buildings.
        let changes = buildingRows.compactMap { r -> (String, Int, Int)? in
            guard let p = r.previous else { return nil }
            return (r.keys[0], r.counts.violations - p.violations, r.counts.violations)
        }
        html += "<section><h2>\(t("Buildings that improved most and least", "改善最多与最少的楼栋"))</h2>"
        if changes.isEmpty {
            html += "<p class=\"empty\">\(t("No previous period to compare with (pass the previous period with --history).", "没有上期数据可比较（可用 --history 提供上期记录）。"))</p>"
        } else {
            // Most improved: the largest falls in violations; least improved: the largest rises.
            let best = changes.filter { $0.1 < 0 }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3)
            let worst = changes.filter { $0.1 > 0 }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(3)
            html += "<table><tr><th>\(t("most improved", "改善最多"))</th><th class=\"n\">\(t("change", "变化"))</th><th>\(t("least improved", "改善最少"))</th><th class=\"n\">\(t("change", "变化"))</th></tr>"
            if best.isEmpty && worst.isEmpty {
                html += "<tr><td>—</td><td></td><td>—</td><td></td></tr>"
            }
            for i in 0..<max(best.count, worst.count) {
                let b = i < best.count ? Array(best)[i] : nil
                let w = i < worst.count ? Array(worst)[i] : nil
                html += "<tr><td>\(HTML.escape(b.map { buildingLabel($0.0) } ?? ""))</td><td class=\"n\">\(b.map { Numbers.signed($0.1) } ?? "")</td>"
                html += "<td>\(HTML.escape(w.map { buildingLabel($0.0) } ?? ""))</td><td class=\"n\">\(w.map { Numbers.signed($0.1) } ?? "")</td></tr>"
            }
            html += "</table>"
        }
        html += "</section>\n"
        // Points.
        let balances = points.balances(roster: roster, only: period)
        let below90 = balances.filter { $0.reputation < 90 }.count
        html += "<section><h2>\(t("Points", "积分"))</h2><table>"
        html += "<tr><td>\(t("points deducted for violations", "违约扣分"))</td><td class=\"n\">\(-current.deducted)</td></tr>"
        html += "<tr><td>\(t("points credited for deeds (after caps)", "善行积分（封顶后）"))</td><td class=\"n\">\(balances.reduce(0) { $0 + $1.credited })</td></tr>"
        html += "<tr><td>\(t("households with deductions", "有扣分的住户"))</td><td class=\"n\">\(balances.filter { $0.deducted < 0 }.count)</td></tr>"
        html += "<tr><td>\(t("households below 90 reputation points", "文明分低于 90 的住户"))</td><td class=\"n\">\(below90)</td></tr>"
        html += "</table></section>\n"
        // Honour roll.
        html += "<section><h2>\(t("Honour roll", "光荣榜"))</h2>"
        if honours.isEmpty {
            html += "<p class=\"empty\">\(t("No recognitions for this period.", "本期没有表彰。"))</p>"
        } else {
            html += "<table><tr><th>\(t("recognition", "表彰"))</th><th class=\"n\">\(t("rank", "名次"))</th><th>\(t("who", "对象"))</th><th>\(t("grid", "网格"))</th><th>\(t("reason", "理由"))</th></tr>"
            for r in honours {
                html += "<tr><td>\(HTML.escape(r.title?.text(language) ?? r.recognition))</td><td class=\"n\">\(r.rank)</td>"
                html += "<td>\(HTML.escape(subjectLabel(r)))</td><td>\(HTML.escape(r.grid ?? "-"))</td><td>\(HTML.escape(r.reason.text(language)))</td></tr>"
            }
            html += "</table>"
        }
        html += "</section>\n"
        html += "<p class=\"note\">\(HTML.escape(t("Generated by Covenant from \(records) records. Periods in \(convention.timezone).", "由 Covenant 根据 \(records) 条记录生成；周期按 \(convention.timezone) 计算。")))"
        if publicMode {
            html += " " + HTML.escape(t("Public edition: households masked; only what each rule allows to be published is counted (building figures leave out cases published only in aggregate).",
                                         "公示版：住户信息已遮蔽；仅统计各条款允许公开的内容（楼栋数字不含只允许汇总公开的案件）。"))
        }
        html += "</p>\n</body></html>\n"
        return html
    }

    func buildingLabel(_ id: String) -> String { language == .zh ? "\(id) 号楼" : "Building \(id)" }

    func subjectLabel(_ r: RecognitionResult) -> String {
        switch r.subject {
        case .household:
            let name = roster.households[r.id]?.name
            if publicMode {
                return HTML.maskHousehold(r.id) + (name.map { " " + HTML.maskName($0) } ?? "")
            }
            return r.id + (name.map { " " + $0 } ?? "")
        case .building: return buildingLabel(r.id)
        case .grid: return r.id
        }
    }
}
