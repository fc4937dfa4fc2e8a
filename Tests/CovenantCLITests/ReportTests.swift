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
