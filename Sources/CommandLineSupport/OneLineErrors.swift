import ArgumentParser
import Foundation

/// An error that ends a command-line tool with one message line and a chosen exit status.
public struct CommandFailure: Error, CustomStringConvertible {
    public let status: Int32
    public let message: String

    public init(status: Int32 = 1, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}

extension ParsableCommand {
    /// Parses and runs the command like `main()`, but every failure ends with a single
    /// `tool: message` line on standard error, so supervisors' logs show the cause in one line.
    /// `--help` and `--version` print as usual.
    public static func mainWithOneLineErrors(tool: String) -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            Foundation.exit(0)
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("\(tool): \(failure.message)\n".utf8))
            Foundation.exit(failure.status)
        } catch {
            let status = exitCode(for: error)
            let text = message(for: error)
            if status == .success {
                print(fullMessage(for: error))
            } else if !text.isEmpty {  // a bare ExitCode has said what it had to say already
                FileHandle.standardError.write(Data("\(tool): \(text) (see \(tool) --help)\n".utf8))
            }
            Foundation.exit(status.rawValue)
        }
    }
}
