import CSodium

/// Opaque ids for stored objects: a short type prefix and 80 random bits in lower-case
/// Crockford base32 (`co_7k2m9xd4tq4rzp6w`). Random rather than sequential, so an id reveals
/// neither how many objects exist nor which were made before it.
public enum OpaqueID {
    public static func make(prefix: String) -> String {
        Sodium.ensureInitialised()
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
        var bytes = [UInt8](repeating: 0, count: 16)
        randombytes_buf(&bytes, bytes.count)
        return prefix + "_" + String(decoding: bytes.map { alphabet[Int($0 & 31)] }, as: UTF8.self)
    }
}
