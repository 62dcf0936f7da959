import Foundation
import Logging
import PortalProtocol

/// Turns a request frame into its reply frame: decodes the lines, runs each command, encodes
/// one reply line per request line, in order.
///
/// A failing line never affects its neighbours: every error, expected or not, becomes that
/// line's error reply.
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

    private func execute(_ request: Request, into writer: inout ReplyFrameWriter) {
        guard let handler = registry.handler(for: request.command) else {
            writer.appendFailure(id: request.id, error: PortalError(
                .unknownCommand, "unknown command '\(request.command)'; the commands are listed in protocol/README.md"))
            return
        }
        do {
            let result = try handler(CommandContext(request: request, environment: environment))
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
