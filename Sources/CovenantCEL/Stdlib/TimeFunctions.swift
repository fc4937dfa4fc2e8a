/// Timestamp and duration accessors: `getFullYear`, `getMonth`, `getDate`, `getDayOfMonth`,
/// `getDayOfWeek`, `getDayOfYear`, `getHours`, `getMinutes`, `getSeconds`, `getMilliseconds`, each on
/// a timestamp with an optional time zone (`"Asia/Shanghai"`, `"+08:00"`, `"UTC"`), and the time
/// parts of a duration.
extension StandardLibrary {
    enum Part: Sendable {
        case fullYear, month, date, dayOfMonth, dayOfWeek, dayOfYear, hours, minutes, seconds, milliseconds
    }

    static func accessor(_ name: String, _ part: Part, duration: Bool) -> FunctionDef {
        var overloads = [
            Overload("timestamp_\(name)", member: true, [.timestamp], .int),
            Overload("timestamp_\(name)_with_tz", member: true, [.timestamp, .string], .int),
        ]
        if duration { overloads.append(Overload("duration_\(name)", member: true, [.duration], .int)) }
        return FunctionDef(name: name, overloads: overloads, implementation: .nary { args throws(EvalError) in
            try timePart(name, part, args)
        })
    }

    static let time: [FunctionDef] = [
        accessor("getFullYear", .fullYear, duration: false),
        accessor("getMonth", .month, duration: false),
        accessor("getDate", .date, duration: false),
        accessor("getDayOfMonth", .dayOfMonth, duration: false),
        accessor("getDayOfWeek", .dayOfWeek, duration: false),
        accessor("getDayOfYear", .dayOfYear, duration: false),
        accessor("getHours", .hours, duration: true),
        accessor("getMinutes", .minutes, duration: true),
        accessor("getSeconds", .seconds, duration: true),
        accessor("getMilliseconds", .milliseconds, duration: true),
    ]

    static func timePart(_ name: String, _ part: Part, _ args: [Value]) throws(EvalError) -> Value {
        switch (args.count, args.first) {
        case (1, .duration(let d)):
            let n = d.nanoseconds
            switch part {
            case .hours: return .int(Int64(n / 3_600_000_000_000))
            case .minutes: return .int(Int64(n / 60_000_000_000))
            case .seconds: return .int(Int64(n / 1_000_000_000))
            case .milliseconds: return .int(Int64(n / 1_000_000 % 1000))
            default: throw .noOverload(name, args)
            }
        case (1, .timestamp(let t)):
            return .int(civilPart(part, CivilDateTime.from(unixSeconds: t.seconds, nanos: t.nanos, offsetSeconds: 0)))
        case (2, .timestamp(let t)):
            guard case .string(let zone) = args[1] else { throw .noOverload(name, args) }
            let offset = try offsetSeconds(zone: zone, at: t.seconds)
            return .int(civilPart(part, CivilDateTime.from(unixSeconds: t.seconds, nanos: t.nanos, offsetSeconds: offset)))
        default:
            throw .noOverload(name, args)
        }
    }

    /// The UTC offset of a zone at an instant; an unknown zone is an evaluation error.
    static func offsetSeconds(zone: String, at seconds: Int64) throws(EvalError) -> Int {
        guard let spec = TimeZoneSpec.parse(zone), let offset = utcOffset(for: spec, atUnixSeconds: seconds) else {
            throw .invalid("unknown time zone `\(zone)`", "未知的时区 `\(zone)`")
        }
        return offset
    }

    static func civilPart(_ part: Part, _ c: CivilDateTime) -> Int64 {
        switch part {
        case .fullYear: return Int64(c.year)
        case .month: return Int64(c.month - 1)
        case .date: return Int64(c.day)
        case .dayOfMonth: return Int64(c.day - 1)
        case .dayOfWeek: return Int64(c.dayOfWeek)
        case .dayOfYear: return Int64(c.dayOfYear)
        case .hours: return Int64(c.hour)
        case .minutes: return Int64(c.minute)
        case .seconds: return Int64(c.second)
        case .milliseconds: return Int64(c.nanosecond / 1_000_000)
        }
    }
}
