import ArgumentParser
import CommandLineSupport
import Foundation
import PortalCore
import PortalProtocol

/// `portalctl verify`: checks a token the portal signed, offline, against its public keys.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a signed token (activation certificate, download token) offline; print its payload.",
        discussion: """
            TOKEN is the compact JWS itself, or a file holding it ('-' reads standard input). \
            --jwks names a file with the portal's public keys as system.keys returns them: the \
            whole reply line or only its result, e.g. \
            portalctl send '{"cmd":"system.keys"}' > portal-keys.json. Nothing is sent anywhere.

            Exit status: 0 when the signature verifies with the key the token's kid names (the \
            payload is printed as JSON on standard output); 1 otherwise, with one line saying why. \
            A payload whose exp or valid_until has passed still verifies, with a warning on \
            standard error.
            """
    )

    @Argument(help: ArgumentHelp("The token, or a file holding it ('-': standard input).", valueName: "token-or-file"))
    var token: String

    @Option(help: ArgumentHelp("File with the public keys: a JWK Set or a system.keys reply.", valueName: "file"))
    var jwks: String

    func run() throws {
        let keys = try Self.keySet(from: jwks)
        let text = try Self.tokenText(token)
        let payload: JSONValue
        do throws(JWSError) {
            payload = try JWS.verify(text, with: keys)
        } catch {
            throw CommandFailure(error.message)
        }
        print(String(decoding: payload.serialized(), as: UTF8.self))
        for warning in Self.expiryWarnings(payload, now: Date()) {
            FileHandle.standardError.write(Data("portalctl: warning: \(warning)\n".utf8))
        }
    }

    /// The token itself, read from a file or standard input when the argument names one.
    static func tokenText(_ argument: String) throws -> String {
        if argument == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        if FileManager.default.fileExists(atPath: argument) {
            guard let text = try? String(contentsOfFile: argument, encoding: .utf8) else {
                throw CommandFailure("cannot read \(argument) as UTF-8 text")
            }
            return text
        }
        guard argument.contains(".") && !argument.contains("/") else {
            throw CommandFailure("\(argument) is neither a file nor a token (header.payload.signature)")
        }
        return argument
    }

    /// The keys in `path`: a JWK Set, or a `system.keys` reply line or result.
    static func keySet(from path: String) throws -> JSONWebKeySet {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read the key file \(path)") }
        let json: JSONValue
        do throws(JSONParser.Failure) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            json = try JSONParser.parse(Array(text.utf8), maxDepth: 64)
        } catch {
            throw CommandFailure("the key file \(path) is not JSON: \(error.message)")
        }
        if json["ok"] == false {
            throw CommandFailure("the key file \(path) holds an error reply: \(json["error"]?["message"]?.stringValue ?? "no message")")
        }
        guard let set = json["keys"] != nil ? json : json["result"], set["keys"] != nil else {
            throw CommandFailure("the key file \(path) is neither a JWK Set ({\"keys\":[…]}) nor a system.keys reply")
        }
        let keys: JSONWebKeySet
        do throws(JWSError) {
            keys = try JSONWebKeySet(json: set)
        } catch {
            throw CommandFailure("the key file \(path): \(error.message)")
        }
        guard !keys.keys.isEmpty else { throw CommandFailure("the key file \(path) holds no Ed25519 keys") }
        return keys
    }

    /// Warnings for an `exp` (seconds since 1970, as JWT writes it) or `valid_until` (RFC 3339) in the past.
    static func expiryWarnings(_ payload: JSONValue, now: Date) -> [String] {
        var warnings: [String] = []
        if let seconds = payload["exp"]?.intValue, Date(timeIntervalSince1970: TimeInterval(seconds)) < now {
            warnings.append("the token expired at \(RFC3339.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))) (exp)")
        }
        if let text = payload["valid_until"]?.stringValue, let date = RFC3339.date(from: text), date < now {
            warnings.append("the token was valid until \(text) (valid_until)")
        }
        return warnings
    }
}
