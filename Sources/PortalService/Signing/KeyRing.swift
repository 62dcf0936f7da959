import Foundation
import PortalCore
import PortalProtocol
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The portal's signing keys: one JSON file per key, `{"kid":…,"created_at":…,"seed":…}`, in a
/// folder of their own, readable by the owner only (files 0600, a new folder 0700).
///
/// The newest key signs; every key stays in the public JWK Set, so what older keys signed keeps
/// verifying after a rotation. The keys live outside the database on purpose: a database dump
/// or backup never holds them, and they are backed up (and restored) on their own. A ring is
/// read once; keys added later take effect when `portald` next starts.
public struct KeyRing: TokenSigner {
    /// One signing key as its file holds it.
    public struct Key: Sendable {
        /// The key's `kid`: the RFC 7638 thumbprint of its public JWK for keys made here.
        public let id: String
        public let createdAt: Date
        /// The file it was read from or written to.
        public let path: String
        let signingKey: Ed25519SigningKey

        public var publicKey: Ed25519PublicKey { signingKey.publicKey }
        /// The public half as the JWK Set publishes it.
        public var jwk: JSONWebKey { JSONWebKey(id: id, publicKey: publicKey) }
    }

    /// The folder the keys were read from.
    public let folder: String
    /// Oldest first; the last one signs.
    public let keys: [Key]

    /// The key that signs: the newest.
    public var activeKey: Key? { keys.last }

    /// The public keys, newest first: what `system.keys` returns and verifiers use.
    public var jsonWebKeySet: JSONWebKeySet { JSONWebKeySet(keys: keys.reversed().map(\.jwk)) }

    /// `payload` as a compact JWS signed by the newest key, its `kid` in the header.
    public func sign(_ payload: JSONValue) throws -> String {
        guard let key = activeKey else { throw MissingTokenSigner.error }
        return JWS.sign(payload, keyID: key.id, with: key.signingKey)
    }

    public func publicKeySet() throws -> JSONValue {
        guard !keys.isEmpty else { throw MissingTokenSigner.error }
        return jsonWebKeySet.json
    }

    // MARK: Reading

    /// Files larger than this are not key files (a key file is about 150 bytes).
    static let maximumFileBytes = 64 * 1_024

    /// Reads every key file (`*.json`, not hidden) in `folder`. A missing folder is an empty ring;
    /// a file that cannot be read, is readable by others or is not a key file is an error naming it.
    public static func load(folder: String) throws(KeyRingError) -> KeyRing {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            return KeyRing(folder: folder, keys: [])
        }
        guard isFolder.boolValue else { throw KeyRingError("the key folder \(folder) is not a folder") }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw KeyRingError("cannot read the key folder \(folder): \(Self.reason(of: error))")
        }
        var keys: [Key] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let key = try readKey(at: (folder as NSString).appendingPathComponent(name))
            if let other = keys.first(where: { $0.id == key.id }) {
                throw KeyRingError("\(other.path) and \(key.path) both hold key \(key.id); remove one of them")
            }
            keys.append(key)
        }
        keys.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        return KeyRing(folder: folder, keys: keys)
    }

    static func readKey(at path: String) throws(KeyRingError) -> Key {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw KeyRingError("cannot read the signing key \(path): \(Self.systemError())") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw KeyRingError("cannot read the signing key \(path): \(Self.systemError())")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw KeyRingError("the signing key \(path) is not a regular file") }
        let permissions = Int(status.st_mode) & 0o777
        guard permissions & 0o077 == 0 else {
            throw KeyRingError("""
                the signing key \(path) is accessible to others (mode \(String(format: "%04o", permissions))); \
                only its owner may read it: chmod 600 \(path)
                """)
        }
        guard Int(status.st_size) <= maximumFileBytes else { throw Self.malformed(path, "the file is far too large") }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let result = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if result < 0, errno == EINTR { continue }
            guard result >= 0 else { throw KeyRingError("cannot read the signing key \(path): \(Self.systemError())") }
            if result == 0 { break }
            count += result
        }
        return try decodeKey(Array(bytes[..<count]), path: path)
    }

    static func decodeKey(_ bytes: [UInt8], path: String) throws(KeyRingError) -> Key {
        let json: JSONValue
        do throws(JSONParser.Failure) {
            json = try JSONParser.parse(bytes, maxDepth: 4)
        } catch {
            throw malformed(path, "not JSON (\(error.message))")
        }
        guard let id = json["kid"]?.stringValue, !id.isEmpty else { throw malformed(path, "kid is missing or not a string") }
        guard let created = json["created_at"]?.stringValue, let createdAt = RFC3339.date(from: created) else {
            throw malformed(path, "created_at is missing or not an RFC 3339 timestamp")
        }
        guard let seed = json["seed"]?.stringValue.flatMap({ Base64URL.decode($0) }), let signingKey = Ed25519SigningKey(seed: seed)
        else { throw malformed(path, "seed is missing or not 32 bytes in base64url") }
        return Key(id: id, createdAt: createdAt, path: path, signingKey: signingKey)
    }

    private static func malformed(_ path: String, _ reason: String) -> KeyRingError {
        KeyRingError("\(path) is not a signing key file: \(reason); expected {\"kid\":…,\"created_at\":…,\"seed\":…}")
    }

    // MARK: Writing

    /// Creates the first key of `folder` (and the folder, mode 0700); refuses when it has keys.
    @discardableResult
    public static func generate(in folder: String, now: Date) throws(KeyRingError) -> Key {
        let ring = try load(folder: folder)
        guard ring.keys.isEmpty else {
            throw KeyRingError("""
                \(folder) already has \(ring.keys.count == 1 ? "a signing key" : "\(ring.keys.count) signing keys"); \
                portald keys rotate adds a new one
                """)
        }
        return try ring.add(now: now)
    }

    /// Adds a new key to `folder`, which signs from the next start on; the older keys stay
    /// and keep verifying. Refuses a folder without keys (a mistyped path is caught that way).
    @discardableResult
    public static func rotate(in folder: String, now: Date) throws(KeyRingError) -> Key {
        let ring = try load(folder: folder)
        guard !ring.keys.isEmpty else {
            throw KeyRingError("\(folder) has no signing key to rotate; portald keys generate creates the first")
        }
        return try ring.add(now: now)
    }

    /// Writes a new key newer than every key of the ring: `created_at` is at least a second
    /// after the newest, so which key signs never depends on a tie.
    private func add(now: Date) throws(KeyRingError) -> Key {
        var createdAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        if let newest = keys.last, createdAt <= newest.createdAt {
            createdAt = Date(timeIntervalSince1970: newest.createdAt.timeIntervalSince1970.rounded(.down) + 1)
        }
        let signingKey = Ed25519SigningKey.generate()
        let id = JSONWebKey(id: nil, publicKey: signingKey.publicKey).thumbprint
        let json = JSONValue.object([
            "kid": .string(id), "created_at": .string(RFC3339.string(from: createdAt)),
            "seed": .string(Base64URL.encode(signingKey.seed)),
        ])
        try Self.createFolder(folder)
        let path = (folder as NSString).appendingPathComponent("\(id).json")
        try Self.writePrivateFile(json.serialized() + [UInt8(ascii: "\n")], to: path)
        return Key(id: id, createdAt: createdAt, path: path, signingKey: signingKey)
    }

    /// Creates `folder` with mode 0700 (its parents as usual) unless it exists.
    private static func createFolder(_ folder: String) throws(KeyRingError) {
        if FileManager.default.fileExists(atPath: folder) { return }
        let parent = (folder as NSString).deletingLastPathComponent
        do {
            if !parent.isEmpty { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) }
        } catch {
            throw KeyRingError("cannot create the key folder \(folder): \(reason(of: error))")
        }
        guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
            throw KeyRingError("cannot create the key folder \(folder): \(systemError())")
        }
    }

    /// Writes `bytes` to a new file that is 0600 from its creation on, under a temporary name
    /// first, so that a crash never leaves a half-written key under a name that is read.
    private static func writePrivateFile(_ bytes: [UInt8], to path: String) throws(KeyRingError) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).tmp")
        let failure = { (what: String) in KeyRingError("cannot write the signing key \(path): \(what)") }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure(systemError()) }
        var written = 0
        var error: String?
        if fchmod(descriptor, 0o600) != 0 { error = systemError() }
        while error == nil, written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0, errno == EINTR { continue }
            if result < 0 { error = systemError() } else { written += result }
        }
        if error == nil, fsync(descriptor) != 0 { error = systemError() }
        close(descriptor)
        if error == nil, rename(temporary, path) != 0 { error = systemError() }
        if let error {
            unlink(temporary)
            throw failure(error)
        }
        // The new name is durable only once the folder is.
        let folderDescriptor = open(folder, O_RDONLY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }

    private static func reason(of error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
