import Foundation

/// The command endpoint a subcommand uses: its flag, else `PORTAL_COMMAND_ENDPOINT`, else
/// where `portald` listens by default.
enum CommandEndpoint {
    static func resolve(_ flag: String?) -> String {
        flag ?? ProcessInfo.processInfo.environment["PORTAL_COMMAND_ENDPOINT"] ?? "tcp://127.0.0.1:5555"
    }
}
