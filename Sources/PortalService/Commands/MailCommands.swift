import PortalCore
import PortalProtocol
import PortalStore

/// `mail.*`: the vendor's mailer takes the queued mails and reports them sent.
enum MailCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("mail.pending", access: .staff([.service]), pending)
        registry.register("mail.sent", access: .staff([.service]), mutating: true, sent)
    }

    static func pending(_ context: CommandContext) throws -> any Encodable & Sendable {
        let limit = try context.arguments.optionalInt("limit", in: 1...500) ?? 100
        return try context.environment.store.read { reader in
            JSONValue.object(["items": .array(try reader.unsentMail(limit: limit).map { mail in
                [
                    "id": .string(mail.id), "to": .string(mail.recipient), "subject": .string(mail.subject),
                    "body": .string(mail.body), "created_at": .string(RFC3339.string(from: mail.createdAt)),
                ]
            })])
        }
    }

    static func sent(_ context: CommandContext) throws -> any Encodable & Sendable {
        guard let ids = try context.arguments.optionalStrings("ids"), !ids.isEmpty, ids.count <= 500 else {
            throw PortalError.badRequest("args.ids is required: the ids of 1 to 500 mails handed to the mail server")
        }
        let now = context.environment.clock.now
        let marked = try context.environment.store.write { writer in try writer.markMailSent(ids: ids, at: now) }
        return JSONValue.object(["marked": .int(Int64(marked))])
    }
}
