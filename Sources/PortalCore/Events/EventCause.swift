import PortalProtocol

/// Why an event happened: a command (which one, and who sent it) or the scheduler applying time.
public enum EventCause: Sendable, Equatable {
    /// `by` is the acting user's id; nil for the command line (`portald import`, `demo-data`).
    case command(String, by: String?)
    case schedule

    /// The members every event's `data` carries: `cause`, and for commands `command` and `by`.
    public var fields: [String: JSONValue] {
        switch self {
        case .command(let name, let by):
            var fields: [String: JSONValue] = ["cause": "command", "command": .string(name)]
            if let by { fields["by"] = .string(by) }
            return fields
        case .schedule:
            return ["cause": "schedule"]
        }
    }
}
