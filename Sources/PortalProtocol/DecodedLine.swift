/// What one request line turned into: a request to execute, or an error reply to send in its place.
public enum DecodedLine: Sendable, Equatable {
    case request(Request)
    /// The line cannot run; `id` is what could be read of its id (`.null` when unreadable).
    case rejected(id: JSONValue, error: PortalError)

    /// The id to echo in this line's reply.
    public var id: JSONValue {
        switch self {
        case .request(let request): request.id
        case .rejected(let id, _): id
        }
    }
}
