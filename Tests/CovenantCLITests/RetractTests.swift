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
}
