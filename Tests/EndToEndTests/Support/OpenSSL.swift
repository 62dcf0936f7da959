import Foundation
import Testing

/// The `openssl` command, if the machine has one, and a base64url decoder that is not ours.
enum OpenSSL {
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"])
            .map { $0 + "/openssl" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Has `openssl` check an Ed25519 JWS against the raw 32-byte public key: status 0 when valid.
    static func verify(_ token: String, publicKey: Data, in folder: TemporaryDirectory) throws -> ProcessResult {
        let openssl = try #require(executable)
        // SubjectPublicKeyInfo of an Ed25519 key (RFC 8410): a fixed DER prefix, then the key.
        let der = Data([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]) + publicKey
        let pem = try folder.write("-----BEGIN PUBLIC KEY-----\n\(der.base64EncodedString())\n-----END PUBLIC KEY-----\n", to: "public.pem")
        let parts = token.split(separator: ".")
        let input = folder.path("signing-input")
        try Data("\(parts[0]).\(parts[1])".utf8).write(to: URL(fileURLWithPath: input))
        let signature = folder.path("signature")
        try #require(base64URLDecode(String(parts[2]))).write(to: URL(fileURLWithPath: signature))
        return try ChildProcess.run(
            URL(fileURLWithPath: openssl),
            ["pkeyutl", "-verify", "-pubin", "-inkey", pem, "-rawin", "-in", input, "-sigfile", signature])
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }
}
