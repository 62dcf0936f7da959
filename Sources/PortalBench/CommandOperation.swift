import PortalCore
import PortalProtocol

/// Requests of one command whose `args` are drawn at random from a fixed list (a license id, a
/// cursor, a filter): everything but the id is serialized once, so a request costs the client
/// two small copies.
public final class CommandOperation: BenchOperation {
    public let name: String
    private let head: [UInt8]
    private let tails: [[UInt8]]
    private var random: SeededGenerator

    /// `args` holds the argument objects to choose from (at least one); `session` adds `auth`
    /// and `view` when given.
    public init(name: String? = nil, command: String, session: BenchSession.Credentials?, args: [JSONValue], seed: UInt64) {
        precondition(!args.isEmpty, "an operation needs at least one argument object")
        self.name = name ?? command
        head = Array(#"{"id":"#.utf8)
        var prefix: [String: JSONValue] = ["cmd": .string(command)]
        if let session {
            prefix["auth"] = .string(session.token)
            prefix["view"] = .string(session.view)
        }
        // `{"auth":…,"cmd":…,"view":…}` becomes `,"auth":…,"cmd":…,"view":…,"args":` + args + `}`.
        let members = JSONValue.object(prefix).serialized().dropFirst().dropLast()
        tails = args.map { args in [UInt8(ascii: ",")] + members + Array(#","args":"#.utf8) + args.serialized() + [UInt8(ascii: "}")] }
        random = SeededGenerator(seed: seed)
    }

    public func request(id: Int64, into line: inout [UInt8]) -> Int {
        let choice = tails.count == 1 ? 0 : Int.random(in: 0..<tails.count, using: &random)
        line.append(contentsOf: head)
        line.append(contentsOf: String(id).utf8)
        line.append(contentsOf: tails[choice])
        return choice
    }
}
