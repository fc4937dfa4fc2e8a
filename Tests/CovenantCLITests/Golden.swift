import Foundation
import Testing

/// Runs the built `covenant` binary and compares its stdout, stderr and exit status with a golden
/// file under `Snapshots/`. `RECORD_SNAPSHOTS=1 swift test` rewrites the golden files.
enum Golden {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `covenant` executable built next to the test bundle.
    static var binary: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [bundle.appendingPathComponent("covenant")]
        // The runner may be nested inside the .xctest bundle.
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("covenant"))
        for dir in ["debug", "release"] {
            candidates.append(packageRoot.appendingPathComponent(".build/\(dir)/covenant"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    struct Result: Equatable {
        var status: Int32
        var stdout: String
        var stderr: String

        var transcript: String {
            "$ exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
        }
    }

    /// Runs `covenant` with `arguments` in the package root, with `NO_COLOR=1` and no LANG.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var env = ["NO_COLOR": "1", "PATH": "/usr/bin:/bin"]
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // stdin is written and stderr drained on threads of their own while stdout is read here:
        // done one after another, a child that fills one pipe while we wait on another never ends.
        let writer = Thread {
            if let stdin { try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8)) }
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let errBox = DataBox()
        let errReader = Thread {
            errBox.set(err.fileHandleForReading.readDataToEndOfFile())
        }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errData = errBox.wait()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Compares a run with `Snapshots/<name>.txt` (or records it).
    static func assertMatches(_ name: String, _ arguments: [String], stdin: String? = nil,
                              environment: [String: String] = [:], directory: String = "Tests/CovenantCLITests/Snapshots",
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try run(arguments, stdin: stdin, environment: environment)
        let header = "$ covenant " + arguments.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ") + "\n"
        let actual = header + result.transcript
        let file = packageRoot.appendingPathComponent("\(directory)/\(name).txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("missing snapshot \(name).txt; run with RECORD_SNAPSHOTS=1 to create it", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "snapshot \(name) differs", sourceLocation: sourceLocation)
    }
}

/// A one-shot hand-over of the bytes read on another thread.
final class DataBox: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data!
    }
}
