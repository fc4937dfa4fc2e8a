import Foundation
import Testing

/// The committee report: privacy of the public edition, escaping, and a real browser rendering it.
@Suite struct ReportTests {
    static let fixture = "Tests/CovenantCLITests/Fixtures/report"

    func report(_ extra: [String], lang: String = "en") throws -> (String, Golden.Result) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("covenant-report-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Golden.run(["report", "-r", "\(Self.fixture)/rules.yaml", "--roster", "\(Self.fixture)/roster.csv",
                                     "--period", "2026-Q3", "--html", out.path, "--lang", lang] + extra + ["\(Self.fixture)/incidents.ndjson"])
        return ((try? String(contentsOf: out, encoding: .utf8)) ?? "", result)
    }

    static let rosterNames = ["王建国", "李秀英", "张伟", "<script>alert(1)</script>"]

    @Test func publicEditionShowsNoNameFromTheRoster() throws {
        for lang in ["en", "zh"] {
            let (html, result) = try report(["--public", "--history", "\(Self.fixture)/history.ndjson"], lang: lang)
            #expect(result.status == 0)
            for name in Self.rosterNames { #expect(!html.contains(name), "public report contains \(name)") }
            #expect(!html.contains("H-1-1-101"))
            #expect(html.contains("H-1-1-***"))
            #expect(html.contains("王**"))
            // Quiet-hours violations are published at level `none`: they are not counted at all.
            #expect(!html.contains(lang == "zh" ? "噪声" : "Noise"))
        }
    }

    @Test func committeeEditionIsCompleteAndEscapesInputs() throws {
        let (html, result) = try report(["--history", "\(Self.fixture)/history.ndjson"])
        #expect(result.status == 0)
        #expect(html.contains("H-1-1-101 王建国"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("Noise"))
        #expect(html.contains("<svg"))
        #expect(!html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(!html.contains("<script"))
    }

    /// Renders the page in headless Chromium and checks that the key numbers appear in the rendered
    /// DOM. Skipped, with a message, when Chromium is not installed (`.ci/run` installs it).
    @Test func rendersInHeadlessChromium() throws {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        guard let chromium = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("skipped: Chromium is not installed (apt-get install chromium)")
            return
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("covenant-report-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Golden.run(["report", "-r", "\(Self.fixture)/rules.yaml", "--roster", "\(Self.fixture)/roster.csv",
                                     "--period", "2026-Q3", "--html", out.path, "--lang", "en", "\(Self.fixture)/incidents.ndjson"])
        #expect(result.status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", out.absoluteString]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(dom.contains("Headline numbers"))
        #expect(dom.contains("<b>3</b><span>violations"))   // three violations in 2026-Q3
        #expect(dom.contains("Model household"))
        #expect(dom.contains("0 violations, 1 deed, 100 points"))
    }
}

/// Outputs that cannot act on the reader's machine: formula-safe CSV, terminal output without
/// escape sequences from inputs.
@Suite struct SafeOutputTests {
    static let hostile = #"""
        {"id":"=HYPERLINK(\"http://x\")","occurred_at":"2026-07-03T20:00:00+08:00","household":"+H\u001b[31mRED","where":{"grid":"G01","building":"1","zone":"corridor"},"category":"ebike","facts":{"location":"corridor","charging":true}}
        {"id":"@SUM(1)","occurred_at":"2026-07-03T21:00:00+08:00","household":"-2+3","where":{"grid":"G01","building":"1","zone":"corridor"},"category":"ebike","facts":{"location":"corridor","charging":true}}

        """#

    @Test func csvNeutralisesFormulas() throws {
        let r = try Golden.run(["eval", "--format", "csv", "-r", "Tests/CovenantCLITests/Fixtures/report/rules.yaml", "-"], stdin: Self.hostile)
        let rows = r.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 2)
        for row in rows {
            for cell in row.split(separator: ",") {
                let first = cell.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).first
                #expect(!["=", "+", "@"].contains(first), "cell \(cell) could run as a formula")
            }
        }
        #expect(r.stdout.contains("'=HYPERLINK"))
        #expect(r.stdout.contains("'@SUM(1)"))
    }

    @Test func terminalOutputStripsEscapesFromInputs() throws {
        let r = try Golden.run(["validate", "-r", "Tests/CovenantCLITests/Fixtures/report/rules.yaml", "-"], stdin: Self.hostile)
        #expect(!r.stdout.contains("\u{1B}"))
        #expect(r.stdout.contains("\\u{1b}[31mRED"))
    }
}
