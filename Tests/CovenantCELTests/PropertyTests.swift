import CovenantCEL
import Testing

/// Properties over random well-typed expressions: evaluation is deterministic, and `&&`/`||` are
/// commutative wherever neither side errors (CEL's logical operators absorb errors from either
/// side, so they are commutative even then when the other side decides).
@Suite struct PropertyTests {
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let environment = CELEnvironment(variables: [
        ("n", .int), ("m", .int), ("x", .double), ("s", .string), ("b", .bool), ("xs", .list(.int)),
    ])
    static let activation = environment.activation([
        "n": .int(7), "m": .int(-3), "x": .double(2.5), "s": .string("楼道 corridor"), "b": .bool(true),
        "xs": .list([.int(1), .int(2), .int(9223372036854775807)]),
    ])

    static func intExpr(_ r: inout Random, _ depth: Int) -> String {
        if depth == 0 || r.int(3) == 0 {
            return ["n", "m", "0", "1", "9223372036854775807", "size(s)", "xs[0]", "xs[2]", "size(xs)"][r.int(9)]
        }
        let a = intExpr(&r, depth - 1), b = intExpr(&r, depth - 1)
        return "(\(a) \(["+", "-", "*", "/", "%"][r.int(5)]) \(b))"
    }

    static func boolExpr(_ r: inout Random, _ depth: Int) -> String {
        if depth == 0 || r.int(4) == 0 {
            switch r.int(6) {
            case 0: return "b"
            case 1: return "\(intExpr(&r, 1)) \(["<", "<=", "==", "!=", ">", ">="][r.int(6)]) \(intExpr(&r, 1))"
            case 2: return "s.contains(\"楼\")"
            case 3: return "x > 2.0"
            case 4: return "\(intExpr(&r, 1)) in xs"
            default: return "xs.exists(v, v > \(intExpr(&r, 1)))"
            }
        }
        let a = boolExpr(&r, depth - 1), b = boolExpr(&r, depth - 1)
        switch r.int(4) {
        case 0: return "(\(a) && \(b))"
        case 1: return "(\(a) || \(b))"
        case 2: return "!(\(a))"
        default: return "(\(a) ? \(b) : \(boolExpr(&r, depth - 1)))"
        }
    }

    func outcome(_ text: String) -> String {
        do {
            let program = try Self.environment.compile(text, expecting: .bool)
            do { return JSON.write(try program.evaluate(Self.activation)) } catch { return "error:\(error.kind.rawValue)" }
        } catch {
            return "compile:\(error.issues.first?.code ?? "")"
        }
    }

    @Test(arguments: Array(UInt64(1)...UInt64(8)))
    func evaluationIsDeterministicAndLogicIsCommutative(seed: UInt64) {
        var r = Random(state: seed)
        var checked = 0
        for _ in 0..<150 {
            let a = Self.boolExpr(&r, 3), b = Self.boolExpr(&r, 3)
            let first = outcome(a)
            #expect(outcome(a) == first, "not deterministic: \(a)")
            #expect(!first.hasPrefix("compile:"), "generated expression does not compile: \(a) → \(first)")
            let ab = outcome("(\(a)) && (\(b))"), ba = outcome("(\(b)) && (\(a))")
            let oab = outcome("(\(a)) || (\(b))"), oba = outcome("(\(b)) || (\(a))")
            if !outcome(a).hasPrefix("error"), !outcome(b).hasPrefix("error") {
                #expect(ab == ba, "\(a) && \(b)")
                #expect(oab == oba, "\(a) || \(b)")
                checked += 1
            } else {
                // With an error on one side, the other side decides when it can: the results still agree
                // when either is decided (false for &&, true for ||).
                if ab == "false" || ba == "false" { #expect(ab == ba, "\(a) && \(b)") }
                if oab == "true" || oba == "true" { #expect(oab == oba, "\(a) || \(b)") }
            }
        }
        #expect(checked > 30)
    }
}
