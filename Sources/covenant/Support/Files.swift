import CovenantSource
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading input files as bytes, with errors a user can act on.
enum Files {
    struct ReadError: Error {
        var message: LocalizedText
    }

    /// Reads a whole file (or standard input for `-`), refusing files over `limit` bytes; with
    /// `truncating`, the first `limit` bytes instead (for a reader that reports the size itself,
    /// with its own code and position).
    static func read(_ path: String, limit: Int, truncating: Bool = false) throws(ReadError) -> [UInt8] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ReadError(message: cannotRead(path, errno: errno))
        }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw ReadError(message: .init(en: "`\(path)` is a directory", zh: "`\(path)` 是目录"))
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(message: cannotRead(path, errno: errno))
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > limit, truncating {
                bytes.removeLast(bytes.count - limit)
                break
            }
            if bytes.count > limit {
                throw ReadError(message: .init(en: "`\(path)` is larger than the limit of \(limit) bytes",
                                               zh: "`\(path)` 超过大小上限 \(limit) 字节"))
            }
        }
        return bytes
    }

    /// Writes `text` to a file (created or truncated); nil when every byte is written and the file
    /// closed cleanly, else why not ("cannot write", with the system's reason: a full disk shows
    /// at the write, the flush or the close).
    static func write(_ text: String, to path: String) -> LocalizedText? {
        func failure(_ code: Int32) -> LocalizedText {
            let why = reason(code)
            return .init(en: "cannot write `\(path)`: \(why.en)", zh: "无法写入 `\(path)`：\(why.zh)")
        }
        guard let file = fopen(path, "w") else { return failure(errno) }
        var text = text
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) }
        let complete = written == text.utf8.count && fflush(file) == 0
        let code = errno
        if fclose(file) != 0 { return failure(errno) }
        return complete ? nil : failure(code)
    }

    /// "cannot read" with the system's reason, the common ones worded in Chinese too (`strerror`
    /// speaks English only).
    static func cannotRead(_ path: String, errno code: Int32) -> LocalizedText {
        let why = reason(code)
        return .init(en: "cannot read `\(path)`: \(why.en)", zh: "无法读取 `\(path)`：\(why.zh)")
    }

    /// The system's reason for an `errno`, the common ones worded in Chinese too.
    static func reason(_ code: Int32) -> LocalizedText {
        let reason = String(cString: strerror(code))
        let zh: String = switch code {
        case ENOENT: "文件不存在"
        case EACCES, EPERM: "没有权限"
        case EISDIR: "是目录"
        case ENOTDIR: "路径中有一段不是目录"
        case ELOOP: "符号链接层数过多"
        case ENAMETOOLONG: "路径过长"
        case EMFILE, ENFILE: "打开的文件过多"
        case EIO: "输入输出错误"
        case ENOSPC: "磁盘空间不足"
        case EROFS: "文件系统只读"
        case EINVAL: "参数无效"
        case ESPIPE: "无法定位（是管道）"
        default: reason
        }
        return .init(en: reason, zh: zh)
    }

    /// Calls `body` with a function that returns the file's next chunk (nil at the end).
    static func withChunks(_ path: String, chunkSize: Int = 1 << 20, _ body: (() -> [UInt8]?) throws -> Void) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ReadError(message: cannotRead(path, errno: errno))
        }
        defer { close(fd) }
        try body {
            while true {
                // Read straight into the chunk handed over (no buffer to copy it out of, nor to zero).
                var n = 0
                let chunk = [UInt8](unsafeUninitializedCapacity: chunkSize) { buffer, count in
                    n = Glibc.read(fd, buffer.baseAddress, chunkSize)
                    count = max(n, 0)
                }
                if n < 0, errno == EINTR { continue }
                return n > 0 ? chunk : nil
            }
        }
    }

    /// Whether a path exists.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// The canonical absolute path (symbolic links resolved), or the path itself.
    static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether a path is a directory.
    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether a file holds rule tests by its name (`*_test.yaml`, `*_test.yml`).
    static func isRuleTestFile(_ path: String) -> Bool {
        path.hasSuffix("_test.yaml") || path.hasSuffix("_test.yml")
    }

    /// The `.yaml`/`.yml` files under a path (the path itself when it is a file), sorted, not
    /// following symbolic links out of it.
    static func yamlFiles(under path: String) -> [String] {
        guard isDirectory(path) else { return [path] }
        var result: [String] = []
        var stack = [path]
        while let dir = stack.popLast() {
            guard let handle = opendir(dir) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." || name.hasPrefix(".") { continue }
                let full = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                var st = stat()
                guard lstat(full, &st) == 0 else { continue }
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    stack.append(full)
                } else if (st.st_mode & S_IFMT) == S_IFREG, name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                    result.append(full)
                }
            }
        }
        return result.sorted()
    }
}
