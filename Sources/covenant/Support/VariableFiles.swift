import CovenantCEL
import CovenantSource

/// Loads a JSON or YAML file of variables for `covenant expr --vars-file`.
enum VariableFiles {
    static func load(_ path: String, renderer: DiagnosticRenderer) throws -> Value {
        let bytes: [UInt8]
        do {
            bytes = try Files.read(path, limit: 4 << 20)
        } catch {
            Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0003", message: error.message)))
            throw ExitStatus.usage
        }
        if path.hasSuffix(".json") {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                Terminal.writeError(renderer.render(Diagnostic(.error, code: "U0004", message: .init(
                    en: "`\(path)` is not valid UTF-8", zh: "`\(path)` 不是有效的 UTF-8"))))
                throw ExitStatus.usage
            }
            do {
                return try JSON.parse(text)
            } catch {
                let d = Diagnostic(.error, code: "U0001", message: error.message,
                                   span: SourceSpan(file: path, start: error.location))
                Terminal.writeError(renderer.render(d, source: SourceText(name: path, text: text)))
                throw ExitStatus.usage
            }
        }
        return try YAMLVariables.load(bytes: bytes, path: path, renderer: renderer)
    }
}
