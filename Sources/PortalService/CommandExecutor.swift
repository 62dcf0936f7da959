import Foundation
import Logging
import PortalProtocol

/// Turns a request frame into its reply frame: decodes the lines, runs each command, encodes
/// one reply line per request line, in order.
///
/// A failing line never affects its neighbours: every error, expected or not, becomes that
/// line's error reply. A mutating command with an idempotency key runs as an
/// `IdempotentExecution`: one transaction that replays or keeps its result.
public struct CommandExecutor: Sendable {
    public let registry: CommandRegistry
    public let decoder: RequestFrameDecoder
    public let environment: ServiceEnvironment

    public init(registry: CommandRegistry = .standard, limits: ProtocolLimits, environment: ServiceEnvironment) {
        self.registry = registry
        self.decoder = RequestFrameDecoder(limits: limits)
        self.environment = environment
    }

    public func execute(frame payload: [UInt8]) -> [UInt8] {
        var writer = ReplyFrameWriter()
        switch decoder.decode(payload) {
        case .failure(let error):
            writer.appendFailure(id: .null, error: error)
        case .success(let lines):
            for line in lines {
                switch line {
                case .request(let request): execute(request, into: &writer)
                case .rejected(let id, let error): writer.appendFailure(id: id, error: error)
                }
            }
        }
        return writer.bytes
    }

    /// Applies the access policy to the caller, from memory when the session was read lately
    /// (`CallerCache`); keeps an active session's idle expiry moving, writing at most once per
    /// `touchInterval` so that reads do not each cost a durable commit.
    private func authorize(_ request: Request, access: CommandAccess) throws -> Caller? {
        // Commands open to anyone need no session: not even a read transaction, which costs
        // more than a ping itself.
        if case .anyone = access { return nil }
        let now = environment.clock.now
        let policy = environment.access
        let lifetime = policy.sessions.callerCacheLifetime
        let tokenHash = try policy.tokenHash(of: request)
        var caller: Caller
        if let cached = environment.callers.caller(tokenHash: tokenHash, at: now, lifetime: lifetime),
           policy.sessions.isValid(cached.session, at: now) {
            caller = cached
        } else {
            let changeCount = environment.callers.changeCount
            caller = try environment.store.read { reader in try policy.authenticate(tokenHash: tokenHash, reader: reader, now: now) }
            if let changeCount { environment.callers.remember(caller, readAt: now, changeCount: changeCount, lifetime: lifetime) }
        }
        caller = try policy.authorize(caller, for: request, access: access)
        if policy.sessions.needsTouch(caller.session, at: now) {
            caller.session.lastUsedAt = now
            let session = caller.session
            try environment.store.write { writer in try writer.update(session) }
            environment.callers.touched(session)
        }
        return caller
    }

    private func execute(_ request: Request, into writer: inout ReplyFrameWriter) {
        guard let entry = registry.entry(for: request.command) else {
            writer.appendFailure(id: request.id, error: PortalError(
                .unknownCommand, "unknown command '\(request.command)'; the commands are listed in protocol/README.md"))
            return
        }
        do {
            let caller = try authorize(request, access: entry.access)
            if entry.honoursIdempotencyKey, let key = request.idempotencyKey, let caller {
                let execution = IdempotentExecution(key: key, caller: caller, environment: environment)
                writer.appendSuccess(id: request.id, encodedResult: try execution.run(request, handler: entry.handler))
                return
            }
            let result = try entry.handler(CommandContext(request: request, caller: caller, environment: environment))
            writer.appendSuccess(id: request.id, result: result)
        } catch let error as PortalError {
            writer.appendFailure(id: request.id, error: error)
        } catch {
            let reference = UUID().uuidString.prefix(8).lowercased()
            environment.logger.error("command failed", metadata: [
                "command": "\(request.command)", "error": "\(error)", "error.ref": "\(reference)",
            ])
            writer.appendFailure(id: request.id, error: PortalError(
                .internal, "the command failed on the server; the operator's log has reference \(reference)",
                details: ["ref": .string(String(reference))]))
        }
    }
}
