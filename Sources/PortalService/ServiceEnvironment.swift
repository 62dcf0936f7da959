import Foundation
import Logging
import PortalCore
import PortalStore

/// Everything a command handler may use; built once at start-up and shared by all workers.
public struct ServiceEnvironment: Sendable {
    public var store: any Store
    public var clock: any WallClock
    public var runtime: RuntimeFacts
    public var statistics: ServerStatistics
    public var logger: Logger
    /// Sessions, throttling and the feature matrix: who may run what.
    public var access: AccessPolicy
    /// Callers read lately, shared by all workers.
    public let callers: CallerCache
    /// `license.get` results, shared by all workers.
    public let licenseReplies: LicenseReplyCache
    public var passwords: PasswordHasher
    /// Signs activation certificates and download tokens.
    public var signer: any TokenSigner
    /// How often a license may move to a new server without the activation team.
    public var reactivation: ReactivationPolicy
    /// The response targets of support tickets by service level.
    public var tickets: TicketPolicy

    public init(
        store: any Store, clock: any WallClock, runtime: RuntimeFacts,
        statistics: ServerStatistics = ServerStatistics(), logger: Logger,
        access: AccessPolicy = AccessPolicy(), passwords: PasswordHasher = PasswordHasher(),
        signer: any TokenSigner = MissingTokenSigner(), reactivation: ReactivationPolicy = ReactivationPolicy(),
        tickets: TicketPolicy = TicketPolicy(), licenseReplyBytes: Int = LicenseReplyCache.defaultMebibytes << 20
    ) {
        self.store = store
        self.clock = clock
        self.runtime = runtime
        self.statistics = statistics
        self.logger = logger
        self.access = access
        self.callers = CallerCache(changes: store.accessChanges)
        self.licenseReplies = LicenseReplyCache(capacityBytes: licenseReplyBytes)
        self.passwords = passwords
        self.signer = signer
        self.reactivation = reactivation
        self.tickets = tickets
    }
}

/// Facts about the running server that commands report.
public struct RuntimeFacts: Sendable {
    public var workerCount: Int
    public var startedAt: Date
    /// The messaging library's version, e.g. "4.3.4".
    public var transportVersion: String

    public init(workerCount: Int, startedAt: Date, transportVersion: String) {
        self.workerCount = workerCount
        self.startedAt = startedAt
        self.transportVersion = transportVersion
    }
}
