import PortalCore
import PortalProtocol
import PortalStore

/// `events.since`: replay of the event outbox, for subscribers that missed published events.
enum EventCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        // Events span every company: the vendor's staff and its service accounts only.
        registry.register("events.since", access: .staff(Set(StaffRole.allCases)), since)
    }

    /// Events examined per call at most, matching or not, so a filter that matches little never
    /// makes one request scan the whole outbox; `next_after` says where to continue.
    static let scanWindow: Int64 = 10_000

    static func since(_ context: CommandContext) throws -> any Encodable & Sendable {
        let arguments = context.arguments
        guard let after = try arguments.optionalInt("after", in: 0...Int.max).map(Int64.init) else {
            throw PortalError.badRequest("args.after is required: the last seq you have (0 for the beginning)")
        }
        let limit = try arguments.optionalInt("limit", in: 0...1_000) ?? 100
        let types = try arguments.enumSet("types", EventType.self)
        let company = try arguments.optionalString("company", maxLength: 100)
        return try context.environment.store.read { reader in
            let range = try reader.eventRange()
            guard after <= range.lastSeq else {
                throw PortalError(
                    .conflict,
                    "after (\(after)) is beyond the last committed seq \(range.lastSeq): was the database restored from an older backup?",
                    details: ["last_seq": .int(range.lastSeq)])
            }
            // limit 0 asks only for the numbers, e.g. where "now" is; nothing to refuse then.
            if limit > 0 && after + 1 < range.oldestSeq {
                throw PortalError(
                    .notFound,
                    "events up to seq \(range.oldestSeq - 1) are pruned (past the retention period); the oldest available is \(range.oldestSeq)",
                    details: ["oldest_seq": .int(range.oldestSeq)])
            }
            let through = min(range.lastSeq, after + scanWindow)
            let events = limit == 0 ? [] : try reader.events(after: after, through: through, types: types, company: company, limit: limit)
            let nextAfter = limit == 0 ? after : events.count == limit ? events[events.count - 1].seq : through
            return JSONValue.object([
                "events": .array(try events.map { try JSONParser.parse(Array($0.body.utf8), maxDepth: 64) }),
                "last_seq": .int(range.lastSeq),
                "next_after": .int(nextAfter),
                "oldest_seq": .int(range.oldestSeq),
            ])
        }
    }
}
