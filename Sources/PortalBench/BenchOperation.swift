/// One kind of request a scenario sends: builds each request line and may learn from its reply.
///
/// Operations run on the bench's one thread; the runner calls `request` when a request is to go
/// out and `replied` with the same tag when its reply comes.
public protocol BenchOperation: AnyObject {
    /// The name the report gives it, usually the command.
    var name: String { get }

    /// Appends the request line (without the newline) with `id` to `line`; returns a tag that
    /// comes back with the reply.
    func request(id: Int64, into line: inout [UInt8]) -> Int

    /// The reply to the request tagged `tag`.
    func replied(tag: Int, reply: ReplyScanner.Reply)

    /// Something the report should say about the run, e.g. that a pool of licenses ran out.
    var note: String? { get }
}

extension BenchOperation {
    public func replied(tag: Int, reply: ReplyScanner.Reply) {}
    public var note: String? { nil }
}
