/// The members of one request line, as the line gave them, before they are checked.
///
/// Filled member by member while the line is parsed (`JSONParser.parse(_:maxDepth:topLevelMember:)`):
/// the protocol's few names go straight to their place, with no dictionary to fill and look up.
struct RequestMembers {
    var id: JSONValue?
    var version: JSONValue?
    var command: JSONValue?
    var auth: JSONValue?
    var view: JSONValue?
    var idempotencyKey: JSONValue?
    var arguments: JSONValue?
    /// Names the protocol does not define: ignored, but kept to refuse them twice, as for the others.
    private var others: Set<String> = []

    /// Takes one member; false when the line named it before.
    mutating func take(_ name: String, _ value: JSONValue) -> Bool {
        switch name {
        case "id": Self.fill(&id, with: value)
        case "v": Self.fill(&version, with: value)
        case "cmd": Self.fill(&command, with: value)
        case "auth": Self.fill(&auth, with: value)
        case "view": Self.fill(&view, with: value)
        case "idem": Self.fill(&idempotencyKey, with: value)
        case "args": Self.fill(&arguments, with: value)
        default: others.insert(name).inserted
        }
    }

    private static func fill(_ member: inout JSONValue?, with value: JSONValue) -> Bool {
        guard member == nil else { return false }
        member = value
        return true
    }
}
