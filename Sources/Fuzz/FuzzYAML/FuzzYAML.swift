// libFuzzer target: arbitrary bytes through the YAML reader (scripts/fuzz.sh FuzzYAML).
// Tests/CovenantEngineTests/FuzzRegressionTests.swift replays the corpus and the regressions through
// the same calls without a sanitizer; keep the two in step.
import CFuzzDriver
import Glibc
import CovenantSource
import CovenantYAML

/// Small limits as well as the defaults, so that the limit checks themselves are fuzzed.
let tightLimits = YAMLLimits(maxFileBytes: 64 * 1024, maxDepth: 8, maxAliasExpansion: 64, maxScalarBytes: 256)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for limits in [YAMLLimits.default, tightLimits] {
        do {
            let stream = try YAMLReader.parseStream(bytes: bytes, file: "fuzz.yaml", limits: limits)
            var nodes = 0
            for document in stream.documents { nodes += count(document.root) }
            _ = nodes
        } catch {
            // Every rejection must render: positions inside the text, carets under real columns.
            _ = error.rendered()
            _ = error.rendered(with: DiagnosticRenderer(language: .zh))
        }
    }
    return 0
}

/// Visits every node (iteratively: the depth limit is what is under test, not this walk).
func count(_ root: YAMLNode) -> Int {
    var stack = [root]
    var n = 0
    while let node = stack.popLast() {
        n += 1
        _ = node.span.start.line
        switch node.kind {
        case .scalar(let s): _ = s.text.unicodeScalars.count
        case .sequence(let items): stack.append(contentsOf: items)
        case .mapping(let pairs): for p in pairs { stack.append(p.key); stack.append(p.value) }
        }
    }
    return n
}

@main
enum Main {
    static func main() {
        exit(covenant_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
            data.map { fuzz($0, size) } ?? 0
        })
    }
}
