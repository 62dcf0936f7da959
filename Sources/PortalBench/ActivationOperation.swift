import PortalCore
import PortalProtocol

/// `license.activate` in activation / reactivation cycles: each license of the pool is activated
/// for a new random server (registration key) in turn, round robin, so concurrent requests name
/// different licenses and each license sees its first activation and then reactivations.
///
/// A license is retired after `cyclesPerLicense` activations or at its first `limit_exceeded`
/// (the server's self-service limit); once every license is retired the pool is `exhausted` and
/// goes round again, which the server then refuses, visibly, in the report's error counts.
public final class ActivationOperation: BenchOperation {
    public let name = "license.activate"
    /// A first activation and the server's default three self-service reactivations.
    public static let defaultCyclesPerLicense = 4

    private let licenses: [String]
    private let cyclesPerLicense: Int
    private var uses: [Int]
    private var retired: [Bool]
    private var retiredCount = 0
    private var nextLicense = 0
    private let tail: [UInt8]
    private var keys = SystemRandomNumberGenerator()
    public private(set) var exhausted = false

    public var note: String? {
        exhausted
            ? "every one of the \(licenses.count) licenses had \(cyclesPerLicense) activations or reached the limit; later activations repeated them and were refused"
            : nil
    }

    public init(licenses: [String], session: BenchSession.Credentials, cyclesPerLicense: Int = defaultCyclesPerLicense) {
        precondition(!licenses.isEmpty, "activation needs licenses")
        self.licenses = licenses
        self.cyclesPerLicense = cyclesPerLicense
        uses = Array(repeating: 0, count: licenses.count)
        retired = Array(repeating: false, count: licenses.count)
        let members: JSONValue = ["cmd": .string(name), "auth": .string(session.token), "view": .string(session.view)]
        tail = [UInt8(ascii: ",")] + members.serialized().dropFirst().dropLast() + Array(#","args":{"license":"#.utf8)
    }

    public func request(id: Int64, into line: inout [UInt8]) -> Int {
        let license = takeLicense()
        line.append(contentsOf: #"{"id":"#.utf8)
        line.append(contentsOf: String(id).utf8)
        line.append(contentsOf: tail)
        JSONValue.string(licenses[license]).write(to: &line)
        line.append(contentsOf: #","registration_key":""#.utf8)
        // A license key has the registration key's form: five groups of five Crockford characters.
        line.append(contentsOf: LicenseKey.random(using: &keys).text.utf8)
        line.append(contentsOf: #""}}"#.utf8)
        return license
    }

    public func replied(tag: Int, reply: ReplyScanner.Reply) {
        if reply.errorCode == "limit_exceeded" { retire(tag) }
    }

    /// The next license that has activations left, round robin; any license once all are retired.
    private func takeLicense() -> Int {
        if retiredCount == licenses.count { exhausted = true }
        while !exhausted && retired[nextLicense] { nextLicense = (nextLicense + 1) % licenses.count }
        let license = nextLicense
        nextLicense = (nextLicense + 1) % licenses.count
        uses[license] += 1
        if uses[license] >= cyclesPerLicense { retire(license) }
        return license
    }

    private func retire(_ license: Int) {
        guard !retired[license] else { return }
        retired[license] = true
        retiredCount += 1
    }
}
