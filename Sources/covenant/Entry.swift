import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the command and maps every outcome to Covenant's documented exit statuses
/// (see ``ExitStatus``): argument errors become 2, not ArgumentParser's 64.
@main
enum Entry {
    static func main() {
        // A closed pipe is an EPIPE error on write (handled in Terminal), not a silent death.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try CovenantCommand.parseAsRoot()
            try command.run()
            exit(ExitStatus.ok.rawValue)
        } catch let status as ExitStatus {
            exit(status.rawValue)
        } catch let error as UsageError {
            Terminal.writeError(error.rendered)
            exit(ExitStatus.usage.rawValue)
        } catch let error as ScratchFileError {
            // Already worded as a diagnostic, in the user's language.
            Terminal.writeError(error.rendered)
            exit(ExitStatus.usage.rawValue)
        } catch {
            let code = CovenantCommand.exitCode(for: error)
            let message = CovenantCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                exit(ExitStatus.ok.rawValue)
            }
            if !message.isEmpty { Terminal.writeError(message + "\n") }
            exit(ExitStatus.usage.rawValue)
        }
    }
}
