import Foundation
import Testing

/// `eval` into a file of its own may guess that the input is in time order; a wrong guess takes
/// back what it wrote and starts over. The file must end exactly as the output through a pipe
/// (which never guesses), whatever came before it in the file.
@Suite struct RetractTests {
    /// Runs a shell command line in the package root; returns its exit status.
    func sh(_ line: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", line]
        process.currentDirectoryURL = Golden.packageRoot
        process.environment = ["NO_COLOR": "1", "PATH": "/usr/bin:/bin"]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The shipped quarter's records twelve times over (ids prefixed by the copy's number), sorted
    /// by time and id — about 11 k records, several of the engine's batches, in time order — and the
    /// same with one early record with violations read last, so that the guess fails only after
    /// many verdicts were emitted (written, folded).
    static func inputs() throws -> [(name: String, lines: [String])] {
        let shipped = try String(contentsOf: Golden.packageRoot.appendingPathComponent("samples/incidents/2026-q3.ndjson"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var keyed: [(time: String, id: String, line: String)] = []
        for copy in 0..<12 {
            for line in shipped {
                let renamed = line.replacingOccurrences(of: #""id":""#, with: #""id":"\#(copy)-"#)
                // Every valid time in the samples is written with +08:00: as text, they sort by time.
                let time = renamed.range(of: #""occurred_at":""#).map { String(renamed[$0.upperBound...].prefix(25)) } ?? ""
                let id = renamed.range(of: #""id":""#).map { String(renamed[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
                keyed.append((time, id, renamed))
            }
        }
        keyed.sort { $0.time != $1.time ? $0.time < $1.time : $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        let sorted = keyed.map(\.line)
        // An early report of an e-bike charging in a corridor (it breaks a rule) read last.
        let early = try #require(sorted.prefix(2_000).firstIndex { $0.contains(#""charging":true"#) && $0.contains(#""household":"H-"#) })
        var late = sorted
        late.append(late.remove(at: early))
        return [("sorted", sorted), ("late", late)]
    }

    @Test(arguments: ["ndjson", "json", "csv"])
    func evalIntoAFileEndsAsThroughAPipe(format: String) throws {
        let lines = try String(contentsOf: Golden.packageRoot.appendingPathComponent("samples/incidents/2026-q3.ndjson"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        try #require(lines.count > 100)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("covenant-retract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = Golden.binary.path
        // As shipped (in time order: the guess holds); reversed (it fails at once); the first
        // record read last (it fails at the very end).
        let inputs = [("shipped", lines), ("reversed", lines.reversed()), ("first-last", Array(lines.dropFirst()) + [lines[0]])]
            + (try Self.inputs())
        for (name, records) in inputs {
            let input = dir.appendingPathComponent("\(name).ndjson")
            try (records.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
            let eval = "'\(binary)' eval -r rules/zh --format \(format) '\(input.path)' 2>/dev/null"
            let piped = dir.appendingPathComponent("\(name).piped")
            let file = dir.appendingPathComponent("\(name).file")
            let appended = dir.appendingPathComponent("\(name).appended")
            let offset = dir.appendingPathComponent("\(name).offset")
            let status = try sh("\(eval) | cat > '\(piped.path)'")
            let statuses = [
                try sh("\(eval) > '\(file.path)'"),
                // Appending after what is there; then after what the same shell wrote first (the
                // file's offset past it): the earlier bytes stay, the guess's bytes do not.
                try sh("printf 'kept\\n' > '\(appended.path)'; \(eval) >> '\(appended.path)'"),
                try sh("{ printf 'kept\\n'; \(eval); } > '\(offset.path)'"),
            ]
            let expected = try Data(contentsOf: piped)
            #expect(expected.count > 10_000, "\(name): the reference has the verdicts")
            #expect(try Data(contentsOf: file) == expected, "\(name), \(format): > file")
            #expect(try Data(contentsOf: appended) == Data("kept\n".utf8) + expected, "\(name), \(format): >> file")
            #expect(try Data(contentsOf: offset) == Data("kept\n".utf8) + expected, "\(name), \(format): from an offset")
            // The pipe's status is `cat`'s; the file runs agree with one another (1: violations found).
            #expect(status == 0 && statuses == [1, 1, 1], "\(name): \(statuses)")
        }
    }

    /// Commands that fold verdicts into a result (a tally, points, recognitions, the report page)
    /// guess the order too and start their fold again when the guess fails: the result is the same
    /// for the shipped quarter, reversed (the guess fails at once) and with its first record last
    /// (it fails at the very end).
    @Test(arguments: [["tally", "--by", "grid,rule"], ["points"], ["recognize", "--period", "2026-Q3"],
                      ["report", "--period", "2026-Q3", "--html", "-"]])
    func foldsDoNotDependOnTheGuess(command: [String]) throws {
        let lines = try String(contentsOf: Golden.packageRoot.appendingPathComponent("samples/incidents/2026-q3.ndjson"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("covenant-fold-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var outputs: [String: Golden.Result] = [:]
        for (name, records) in [("shipped", lines), ("reversed", lines.reversed()), ("first-last", Array(lines.dropFirst()) + [lines[0]])]
            + (try Self.inputs()) {
            let input = dir.appendingPathComponent("\(name).ndjson")
            try (records.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
            outputs[name] = try Golden.run(command + ["-r", "rules/zh", "--roster", "samples/roster.csv",
                                                     "--history", "samples/incidents/history-2026-q2.ndjson", input.path])
        }
        let shipped = try #require(outputs["shipped"])
        #expect(shipped.status == 0 && shipped.stdout.count > 300, "\(command): \(shipped.stderr)")
        for name in ["reversed", "first-last"] {
            #expect(outputs[name]?.stdout == shipped.stdout, "\(command), \(name)")
            #expect(outputs[name]?.status == shipped.status, "\(command), \(name)")
        }
        // Twelve copies: the guess holds for the sorted ones and fails late for the other.
        let sorted = try #require(outputs["sorted"])
        #expect(sorted.stdout != shipped.stdout && sorted.stdout.count > 300, "\(command)")
        #expect(outputs["late"]?.stdout == sorted.stdout, "\(command), late")
        #expect(outputs["late"]?.status == sorted.status, "\(command), late")
    }
}
