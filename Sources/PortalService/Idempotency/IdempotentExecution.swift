import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// Runs a mutating command whose request carries an idempotency key (`idem`): the first request
/// runs and its result is kept; a retry with the same key by the same user within `retention`
/// gets that result again, byte for byte, and changes nothing; the key used for a request with
/// another `cmd`, `view` or `args` is `conflict`.
///
/// The lookup, the handler's changes and the kept result are one store transaction. So a crash
/// cannot keep a change without its result or the other way round, and concurrent retries cannot
/// both run the handler: the store runs one write transaction at a time, and the second finds
/// the first's result. A handler that throws rolls everything back and nothing is kept: a retry
/// runs it again. (A handler that writes something and then throws, such as a count of failed
/// attempts, loses that write too when its request has a key.) The handler runs holding the
/// store's one writer, so its slow parts (password hashing) hold up other writes meanwhile; only
/// requests with a key pay this.
struct IdempotentExecution {
    /// How long a key's result is kept and replayed; afterwards the key is free again.
    static let retention: TimeInterval = 24 * 60 * 60
    static let maxKeyLength = 200
    /// Expired records deleted with each record kept: old keys go as fast as new ones come, in
    /// steps too small to hold the writer up.
    static let pruneBatch = 20

    let key: String
    /// The authenticated sender: keys are scoped to the user, not the session.
    let caller: Caller
    let environment: ServiceEnvironment

    /// The result's JSON text: the handler's, or the one kept for this key.
    func run(_ request: Request, handler: CommandHandler) throws -> [UInt8] {
        guard !key.isEmpty, key.utf8.count <= Self.maxKeyLength || key.count <= Self.maxKeyLength else {
            throw PortalError.badRequest("idem must be a string of 1 to \(Self.maxKeyLength) characters")
        }
        let fingerprint = Self.fingerprint(of: request)
        let now = environment.clock.now
        let cutoff = now.addingTimeInterval(-Self.retention)
        let (key, caller, environment) = (key, caller, environment)
        return try environment.store.write { writer in
            if let kept = try writer.idempotencyRecord(userID: caller.user.id, key: key, keptAfter: cutoff) {
                guard kept.command == request.command, kept.argumentsHash == fingerprint else {
                    throw PortalError(
                        .conflict, "idempotency key '\(key)' was used for another request (another cmd, view or args) "
                            + "within 24 hours; use a new key for a new request")
                }
                return Array(kept.reply.utf8)
            }
            var bound = environment
            bound.store = TransactionBoundStore(writer: writer, base: environment.store)
            let result = try handler(CommandContext(request: request, caller: caller, environment: bound))
            let reply: [UInt8]
            do {
                reply = try ReplyFrameWriter.encodedResult(result)
            } catch {
                throw PortalError(.internal, "the result could not be encoded")
            }
            try writer.save(IdempotencyRecord(
                userID: caller.user.id, key: key, command: request.command, argumentsHash: fingerprint,
                reply: String(decoding: reply, as: UTF8.self), createdAt: now))
            _ = try writer.pruneIdempotencyRecords(keptBefore: cutoff, limit: Self.pruneBatch)
            return reply
        }
    }

    /// SHA-256 of the request's `view` and `args` as canonical JSON (members sorted, no white
    /// space), so that a retry need not repeat the members in the same order.
    static func fingerprint(of request: Request) -> String {
        let canonical = JSONValue.object([
            "args": .object(request.arguments), "view": request.view.map(JSONValue.string) ?? .null,
        ])
        return SHA256Digest.hex(of: canonical.serialized())
    }
}
