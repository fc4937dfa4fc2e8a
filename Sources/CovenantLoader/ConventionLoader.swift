import CovenantCEL
import CovenantModel
import CovenantSource
import CovenantYAML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What loading produced: the convention when there was no error, and every diagnostic.
public struct LoadResult: Sendable {
    /// The checked convention; nil when any error was found.
    public var convention: Convention?
    /// Errors and warnings, in the order found.
    public var diagnostics: [Diagnostic]
    /// The text of every file read, by name (for rendering carets).
    public var sources: [String: SourceText]
    /// Files read (the root file first).
    public var files: [String]
}

/// Options for loading.
public struct LoadOptions: Sendable {
    /// Imports may not leave this folder (by default, the root file's folder).
    public var ruleRoot: String?
    /// YAML limits for each file.
    public var yamlLimits: YAMLLimits
    /// Most files one convention may import, directly or not.
    public var maxImports: Int
    /// The date expired exemptions are judged against (nil: no such warnings). The CLI passes today.
    public var asOf: LocalDate?

    /// Creates options.
    public init(ruleRoot: String? = nil, yamlLimits: YAMLLimits = .default, maxImports: Int = 64, asOf: LocalDate? = nil) {
        self.ruleRoot = ruleRoot
        self.asOf = asOf
        self.yamlLimits = yamlLimits
        self.maxImports = maxImports
    }
}

/// Loads convention files into checked ``Convention`` values, reporting every problem it can find
/// in one run, each with `file:line:col`, a caret and a hint.
public enum ConventionLoader {
    /// Loads the convention whose root file is `path`, following its imports.
    public static func load(file path: String, options: LoadOptions = LoadOptions()) -> LoadResult {
        var d = Diagnostics()
        var sources: [String: SourceText] = [:]
        var files: [LoadedFile] = []
        let rootDir = options.ruleRoot.flatMap(realPath) ?? realPath(directory(of: path)) ?? directory(of: path)
        guard let root = readFile(path, isRoot: true, options: options, sources: &sources, &d) else {
            return LoadResult(convention: nil, diagnostics: d.items, sources: sources, files: [path])
        }
        files.append(root)
        var visited: Set<String> = [realPath(path) ?? path]
        let rootShown = options.ruleRoot ?? directory(of: path)
        collectImports(of: root, chain: [path], rootDir: rootDir, rootShown: rootShown, options: options, visited: &visited,
                       files: &files, sources: &sources, &d)
        return assemble(files, sources: sources, asOf: options.asOf, &d)
    }

    /// Loads a convention from text (for tests and embedding); imports are not allowed.
    public static func load(text: String, name: String = "<convention>") -> LoadResult {
        var d = Diagnostics()
        do {
            let document = try YAMLReader.parseDocument(text, file: name)
            let file = LoadedFile(path: name, root: document.root, source: document.source, isRoot: true)
            if let imports = document.root["imports"], !imports.isNull {
                d.error(LoaderMessage.importNotFound(name, "imports need files"), at: imports.span)
            }
            return assemble([file], sources: [name: document.source], asOf: nil, &d)
        } catch {
            d.items.append(error.diagnostic)
            return LoadResult(convention: nil, diagnostics: d.items, sources: error.source.map { [name: $0] } ?? [:], files: [name])
        }
    }

    /// Whether a file is a convention root (has `id`), an importable fragment, or a test file.
    public static func isConventionRoot(_ path: String) -> Bool? {
        guard let bytes = readBytes(path, limit: YAMLLimits.default.maxFileBytes + 1),
              let doc = try? YAMLReader.parseDocument(bytes: bytes, file: path) else { return nil }
        return doc.root["id"] != nil
    }

    // MARK: - Files and imports

    static func readFile(_ path: String, isRoot: Bool, options: LoadOptions, sources: inout [String: SourceText],
                         _ d: inout Diagnostics, at importSpan: SourceSpan? = nil) -> LoadedFile? {
        guard let bytes = readBytes(path, limit: options.yamlLimits.maxFileBytes + 1) else {
            let reason = String(cString: strerror(errno))
            let span = importSpan ?? SourceSpan(file: path, start: SourceLocation(line: 1, column: 1))
            d.error(LoaderMessage.importNotFound(path, reason), at: span)
            return nil
        }
        do {
            let document = try YAMLReader.parseDocument(bytes: bytes, file: path, limits: options.yamlLimits)
            sources[path] = document.source
            return LoadedFile(path: path, root: document.root, source: document.source, isRoot: isRoot)
        } catch {
            if let source = error.source { sources[path] = source }
            d.items.append(error.diagnostic)
            return nil
        }
    }

    static func collectImports(
        of file: LoadedFile, chain: [String], rootDir: String, rootShown: String, options: LoadOptions, visited: inout Set<String>,
        files: inout [LoadedFile], sources: inout [String: SourceText], _ d: inout Diagnostics
    ) {
        guard let node = file.root["imports"], !node.isNull, let list = NodeReader.stringList(node, &d) else { return }
        for (relative, itemNode) in list {
            if relative.hasPrefix("/") {
                d.error(LoaderMessage.importOutsideRoot(relative), at: itemNode.span,
                        help: .init(en: "imports are relative to the importing file", zh: "导入路径相对于导入它的文件"))
                continue
            }
            let joined = directory(of: file.path) + "/" + relative
            guard let resolved = realPath(joined) else {
                d.error(LoaderMessage.importNotFound(relative, String(cString: strerror(errno))), at: itemNode.span)
                continue
            }
            guard resolved == rootDir || resolved.hasPrefix(rootDir + "/") else {
                d.error(LoaderMessage.importOutsideRoot(relative), at: itemNode.span,
                        help: .init(en: "imports must stay inside `\(rootShown)` (symbolic links are resolved)",
                                    zh: "导入必须位于 `\(rootShown)` 之内（会解析符号链接）"))
                continue
            }
            if let index = chain.firstIndex(where: { realPath($0) == resolved }) {
                let cycle = (chain[index...] + [joined]).map(displayPath).joined(separator: " → ")
                d.error(LoaderMessage.importCycle(cycle), at: itemNode.span)
                continue
            }
            if visited.contains(resolved) { continue }
            if visited.count - 1 >= options.maxImports {  // `visited` holds the root file too
                d.error(("L0028", .init(en: "more than \(options.maxImports) imported files",
                                        zh: "导入的文件超过 \(options.maxImports) 个")), at: itemNode.span)
                return
            }
            visited.insert(resolved)
            guard let imported = readFile(joined, isRoot: false, options: options, sources: &sources, &d, at: itemNode.span) else {
                continue
            }
            files.append(imported)
            collectImports(of: imported, chain: chain + [joined], rootDir: rootDir, rootShown: rootShown, options: options, visited: &visited,
                           files: &files, sources: &sources, &d)
        }
    }

    // MARK: - Assembly

    static func assemble(_ files: [LoadedFile], sources: [String: SourceText], asOf: LocalDate?, _ d: inout Diagnostics) -> LoadResult {
        var draft = Draft()
        if let root = files.first, root.root.isMapping, root.root["id"] == nil {
            d.error(LoaderMessage.notARoot(), at: root.root.span)
        }
        for file in files { readDeclarations(file, into: &draft, &d) }
        for file in files { readRules(file, into: &draft, &d) }
        for file in files { readCredits(file, into: &draft, &d) }
        for file in files { readRecognitions(file, into: &draft, &d) }
        for file in files { readExemptions(file, into: &draft, &d) }
        let ruleIDs = Set(draft.rules.map(\.id))
        for (name, span) in draft.ruleRefs where !ruleIDs.contains(name) {
            reportUnknown("rule", name, among: Array(ruleIDs), at: span, &d)
        }
        lint(draft, files: files, asOf: asOf, &d)
        let convention = Convention(
            id: draft.id, title: draft.title, version: draft.version, timezone: draft.timezone,
            effective: draft.effective, points: draft.points, zones: draft.zones, groups: draft.groups,
            authorities: draft.authorities, roster: draft.roster, categories: draft.categories, rules: draft.rules,
            credits: draft.credits, recognitions: draft.recognitions, exemptions: draft.exemptions,
            files: files.map(\.path))
        return LoadResult(convention: d.hasErrors ? nil : convention, diagnostics: d.items, sources: sources,
                          files: files.map(\.path))
    }

    // MARK: - Paths

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func displayPath(_ path: String) -> String {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        return p
    }

    static func readBytes(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            errno = EISDIR
            return nil
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= limit {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes
    }
}
