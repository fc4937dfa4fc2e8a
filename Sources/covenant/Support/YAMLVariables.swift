import CovenantCEL
import CovenantIO
import CovenantSource
import CovenantYAML

/// Reads a YAML variables file for the `expr` playground into a CEL value, typed as YAML incidents
/// are (``CovenantIO/YAMLValues``).
enum YAMLVariables {
    static func load(bytes: [UInt8], path: String, renderer: DiagnosticRenderer) throws -> Value {
        do {
            let document = try YAMLReader.parseDocument(bytes: bytes, file: path)
            return CovenantIO.YAMLValues.value(of: document.root)
        } catch {
            Terminal.writeError(renderer.render(error.diagnostic, source: error.source))
            throw ExitStatus.usage
        }
    }
}
