import Dispatch
import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Synchronization
import Testing

/// The scheduler: each change time makes to a license (runtime ends, service expiring, service
/// ends) is announced exactly once, however often and on however many threads it runs.
@Suite struct SchedulerTests {
    let fixture: LicenseFixture
    let scheduler: LicenseScheduler
    var random = LicenseSplitMix64(seed: 17)

    init() throws {
        fixture = try LicenseFixture.withCustomerAndReseller()
        scheduler = LicenseScheduler(store: fixture.store)
    }

    @discardableResult
    private mutating func add(
        model: LicenseModel = .alm, runtimeEnd: Date?, serviceEnd: Date?, activation: ActivationState = .activated,
        destroyedAt: Date? = nil
    ) throws -> License {
        let license = fixture.makeLicense(
            product: "pr_engine", owner: "co_owner", model: model, reseller: "co_res", runtimeEnd: runtimeEnd,
            serviceEnd: serviceEnd, activation: activation, destroyedAt: destroyedAt, using: &random)
        try fixture.insert([license])
        return license
    }

    @discardableResult
    private func pass() throws -> LicenseScheduler.Counts {
        try scheduler.run(now: fixture.now)
    }

    private func events() throws -> [JSONValue] {
        try fixture.store.read { reader in
            try reader.events(
                after: 0, through: .max, types: [.licenseStatus, .licenseService, .licenseExpiring], company: nil, limit: 1_000
            ).map { try JSONParser.parse(Array($0.body.utf8), maxDepth: 64) }
        }
    }

    private static func summary(_ events: [JSONValue]) -> [String] {
        events.map { event in
            let type = event["type"]?.stringValue ?? "?"
            let license = event["data"]?["license"]?["id"]?.stringValue ?? "?"
            guard let from = event["data"]?["from"]?.stringValue, let to = event["data"]?["to"]?.stringValue else {
                return "\(license) \(type)"
            }
            return "\(license) \(type) \(from)→\(to)"
        }
    }

    @Test mutating func theFirstPassOnlyRecordsWhereTimeStands() throws {
        try add(runtimeEnd: fixture.date(days: -5), serviceEnd: fixture.date(days: -5))
        try add(model: .perpetual, runtimeEnd: nil, serviceEnd: fixture.date(days: 3))
        #expect(try pass().events == 0, "states licenses were created with are no news")
        fixture.advance(days: 1)
        #expect(try pass().events == 0)
        #expect(try events().isEmpty)
    }

    @Test mutating func aRuntimeEndIsAnnouncedOnce() throws {
        let license = try add(runtimeEnd: fixture.date(days: 10), serviceEnd: fixture.date(days: 200))
        try pass()
        fixture.advance(days: 9)
        #expect(try pass().events == 0)
        fixture.advance(days: 2)
        let counts = try pass()
        #expect(counts.statusChanges == 1 && counts.events == 1 && counts.licenses == 1)
        #expect(try pass().events == 0, "the second pass finds nothing left")
        fixture.advance(days: 5)
        #expect(try pass().events == 0)
        let events = try events()
        #expect(Self.summary(events) == ["\(license.id) license.status activated→expired"])
        #expect(events.first?["data"]?["cause"] == "schedule" && events.first?["data"]?["command"] == nil)
        #expect(events.first?["at"] == license.runtimeEnd!.licenseTimestamp, "dated when the runtime ended")
        #expect(events.first?["parties"] == ["co_owner", "co_res"])
    }

    @Test mutating func aServiceExpiresInTwoStepsEachAnnouncedOnce() throws {
        let license = try add(model: .perpetual, runtimeEnd: nil, serviceEnd: fixture.date(days: 40))
        let end = license.service!.end
        try pass()
        fixture.advance(days: 11)
        #expect(try pass().events == 0, "29 days left")
        fixture.advance(days: 2)
        #expect(try pass().events == 2, "27 days left: license.service and license.expiring")
        #expect(try pass().events == 0)
        fixture.advance(days: 20)
        #expect(try pass().events == 0, "still expiring")
        fixture.advance(days: 10)
        #expect(try pass().events == 1)
        #expect(try pass().events == 0)
        let events = try events()
        #expect(Self.summary(events) == [
            "\(license.id) license.service active→expiring", "\(license.id) license.expiring",
            "\(license.id) license.service expiring→expired",
        ])
        #expect(events[1]["data"]?["service_end"] == end.licenseTimestamp)
        #expect(events[1]["data"]?["days_left"] == 28)
        #expect(events[1]["at"] == end.addingTimeInterval(-28 * 86_400).licenseTimestamp)
        #expect(events[2]["at"] == end.licenseTimestamp)
    }

    @Test mutating func changesMissedWhileStoppedAreAnnouncedFromTheOldStateToTheNew() throws {
        let license = try add(runtimeEnd: fixture.date(days: 50), serviceEnd: fixture.date(days: 40), activation: .none)
        try pass()
        fixture.advance(days: 60)
        #expect(try pass().events == 2)
        #expect(Self.summary(try events()) == [
            "\(license.id) license.service active→expired", "\(license.id) license.status not_activated→expired",
        ], "one event per field, in the order they happened, no stale license.expiring")
    }

    @Test mutating func unchangedAndDestroyedLicensesGetNoEvents() throws {
        try add(runtimeEnd: fixture.date(days: 400), serviceEnd: fixture.date(days: 300))
        try add(model: .perpetual, runtimeEnd: nil, serviceEnd: nil)
        try add(runtimeEnd: fixture.date(days: -30), serviceEnd: fixture.date(days: -30))
        try add(runtimeEnd: fixture.date(days: 5), serviceEnd: fixture.date(days: 5), destroyedAt: fixture.date(days: -1))
        try pass()
        for _ in 0..<10 {
            fixture.advance(days: 3)
            #expect(try pass().events == 0)
        }
        #expect(try events().isEmpty)
    }

    @Test mutating func expiringIsAnnouncedOncePerServicePeriodAndAgainAfterARenewal() throws {
        let license = try add(model: .perpetual, runtimeEnd: nil, serviceEnd: fixture.date(days: 40))
        let staff = try fixture.addStaff()
        try pass()
        fixture.advance(days: 15)
        try pass()
        let renewal = try fixture.send(LicenseFixture.request(
            "license.renew", auth: try fixture.login(staff), args: ["licenses": [.string(license.id)], "years": 1, "order_reference": "SO-9"]))
        #expect(renewal.ok, "\(renewal)")
        #expect(try pass().events == 0, "the renewal announced its own change")
        fixture.advance(days: 300)
        #expect(try pass().events == 0)
        fixture.advance(days: 65)
        #expect(try pass().events == 2)
        fixture.advance(days: 1)
        #expect(try pass().events == 0)
        let events = try events()
        #expect(Self.summary(events) == [
            "\(license.id) license.service active→expiring", "\(license.id) license.expiring",
            "\(license.id) license.service expiring→active",
            "\(license.id) license.service active→expiring", "\(license.id) license.expiring",
        ])
        #expect(events[2]["data"]?["cause"] == "command")
        let ends = events.filter { $0["type"] == "license.expiring" }.map { $0["data"]?["service_end"] }
        #expect(ends.count == 2 && ends[0] != ends[1], "one per service period")
    }

    @Test mutating func aRenewalBetweenPassesIsNotAnnouncedAgain() throws {
        // Renewed, late, between two passes, into a service period whose last 28 days began
        // after the first pass and before the renewal: the renewal says so, the scheduler not again.
        let license = try add(model: .perpetual, runtimeEnd: nil, serviceEnd: fixture.date(days: -365 + 28.2))
        let expired = try add(runtimeEnd: fixture.date(days: -2), serviceEnd: fixture.date(days: -2))
        let staff = try fixture.addStaff()
        try pass()
        fixture.advance(days: 0.5)
        let renewal = try fixture.send(LicenseFixture.request(
            "license.renew", auth: try fixture.login(staff),
            args: ["licenses": [.string(license.id), .string(expired.id)], "years": 1, "order_reference": "SO-9"]))
        #expect(renewal.ok, "\(renewal)")
        #expect(renewal.result["licenses"]?.arrayValue?.first?["service"]?["state"] == "expiring")
        fixture.advance(days: 0.5)
        #expect(try pass().events == 0)
        fixture.advance(days: 10)
        #expect(try pass().events == 0)
        #expect(Self.summary(try events()) == [
            "\(license.id) license.service expired→expiring", "\(license.id) license.expiring",
            "\(expired.id) license.status expired→activated", "\(expired.id) license.service expired→active",
        ])
        fixture.advance(days: 20)
        #expect(try pass().events == 1, "the renewed service ends")
    }

    @Test mutating func concurrentPassesAnnounceEachChangeOnce() throws {
        var ids: [String] = []
        for index in 0..<60 {
            let license = try add(
                runtimeEnd: fixture.date(days: 5 + Double(index % 7)), serviceEnd: fixture.date(days: 30 + Double(index % 5)))
            ids.append(license.id)
        }
        let small = LicenseScheduler(store: fixture.store, batchSize: 7)
        try small.run(now: fixture.now)
        for _ in 0..<3 {
            fixture.advance(days: 15)
            let now = fixture.now
            let scheduler = small
            let failures = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do { try scheduler.run(now: now) } catch { failures.add(1, ordering: .relaxed) }
            }
            #expect(failures.load(ordering: .relaxed) == 0)
        }
        let events = try events()
        let summary = Self.summary(events)
        #expect(summary.count == Set(summary).count, "no event twice")
        for id in ids {
            #expect(Set(summary.filter { $0.hasPrefix("\(id) ") }) == [
                "\(id) license.service active→expiring", "\(id) license.expiring",
                "\(id) license.status activated→expired", "\(id) license.service expiring→expired",
            ], "\(id)")
        }
        #expect(events.count == 60 * 4)
    }

    @Test mutating func theEventsConformToTheirSchemas() throws {
        try add(runtimeEnd: fixture.date(days: 20), serviceEnd: fixture.date(days: 40))
        try add(model: .trial, runtimeEnd: fixture.date(days: 10), serviceEnd: nil, activation: .none)
        try pass()
        for _ in 0..<5 {
            fixture.advance(days: 10)
            try pass()
        }
        let validator = JSONSchemaValidator(protocolFolder: EventCatalogueTests.protocolFolder)
        let all = try EventCatalogueTests.storedEvents(fixture.store, validator: validator)
        #expect(Set(all.compactMap { $0["type"]?.stringValue }) == ["license.status", "license.service", "license.expiring"])
        #expect(all.count == 5)
    }

    // MARK: Grace periods

    @Test mutating func anALMTestPhaseEndIsAnnouncedOnceForLicensesNeverActivated() throws {
        let ordered = fixture.date(days: -25)
        func license(_ model: LicenseModel, _ activation: ActivationState, destroyedAt: Date? = nil) -> License {
            fixture.makeLicense(
                product: "pr_engine", owner: "co_owner", model: model, reseller: "co_res", runtimeEnd: fixture.date(days: 340),
                serviceEnd: fixture.date(days: 340), activation: activation, destroyedAt: destroyedAt, orderDate: ordered,
                using: &random)
        }
        let waiting = license(.alm, .none)
        try fixture.insert([
            waiting, license(.alm, .activated), license(.trial, .none), license(.alm, .none, destroyedAt: fixture.date(days: -1)),
        ])
        try pass()
        fixture.advance(days: 4)
        #expect(try pass().events == 0, "four days of the test phase left")
        fixture.advance(days: 2)
        let counts = try pass()
        #expect(counts.testPhaseEnds == 1 && counts.events == 1)
        #expect(try pass().events == 0, "the second pass finds nothing left")
        fixture.advance(days: 30)
        #expect(try pass().events == 0)

        let validator = JSONSchemaValidator(protocolFolder: EventCatalogueTests.protocolFolder)
        let ended = try EventCatalogueTests.storedEvents(fixture.store, validator: validator)
        #expect(ended.count == 1)
        let end = ordered.addingTimeInterval(License.almTestPhase).licenseTimestamp
        #expect(ended.first?["type"] == "license.test_phase_ended" && ended.first?["data"]?["license"]?["id"] == .string(waiting.id))
        #expect(ended.first?["at"] == end && ended.first?["data"]?["test_phase_end"] == end, "dated when the phase ended")
        #expect(ended.first?["parties"] == ["co_owner", "co_res"])
    }

    @Test mutating func aSupersededActivationsGraceEndIsAnnouncedOnce() throws {
        let license = try add(runtimeEnd: fixture.date(days: 300), serviceEnd: fixture.date(days: 300))
        func activation(_ id: String, _ key: String, supersededAt: Date? = nil, graceEnd: Date? = nil) -> Activation {
            Activation(
                id: id, licenseID: license.id, registrationKey: RegistrationKey(key)!, activationKey: LicenseKey.random(using: &random),
                subscriptionKey: LicenseKey.random(using: &random), certificate: "x.y.z", isReactivation: supersededAt == nil,
                activatedAt: fixture.date(days: -10), activatedBy: "us_1", supersededAt: supersededAt, graceEnd: graceEnd)
        }
        try fixture.store.write { writer in
            try writer.insert(activation("ac_old", "8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B", supersededAt: fixture.now, graceEnd: fixture.date(days: 30)))
            try writer.insert(activation("ac_new", "1A2B3-C4D5E-F6G7H-J8K9M-N0PQR"))
        }
        try pass()
        fixture.advance(days: 29)
        #expect(try pass().events == 0)
        fixture.advance(days: 2)
        let counts = try pass()
        #expect(counts.graceEnds == 1 && counts.events == 1)
        #expect(try pass().events == 0)

        let validator = JSONSchemaValidator(protocolFolder: EventCatalogueTests.protocolFolder)
        let ended = try EventCatalogueTests.storedEvents(fixture.store, validator: validator)
        #expect(ended.map { $0["type"] } == ["license.reactivation_grace_ended"])
        #expect(ended.first?["data"]?["activation"]?["id"] == "ac_old")
        #expect(ended.first?["at"] == fixture.date(days: -1).licenseTimestamp, "dated when the grace ended")
    }

    /// A large ALM order bought on one day: its test phases end at the same second, yet the
    /// scheduler's batches stay bounded by moments, not by the whole window.
    @Test mutating func testPhaseEndsAreCutIntoBatches() throws {
        let ordered = fixture.date(days: -25)
        try fixture.insert((0..<25).map { _ in
            fixture.makeLicense(
                product: "pr_engine", owner: "co_owner", model: .alm, runtimeEnd: fixture.date(days: 340), serviceEnd: nil,
                activation: .none, orderDate: ordered.addingTimeInterval(Double.random(in: 0..<3_600, using: &random).rounded()),
                using: &random)
        })
        let batched = LicenseScheduler(store: fixture.store, batchSize: 4)
        try batched.run(now: fixture.now)
        fixture.advance(days: 6)
        #expect(try batched.run(now: fixture.now).testPhaseEnds == 25)
        #expect(try batched.run(now: fixture.now).events == 0)
    }
}
