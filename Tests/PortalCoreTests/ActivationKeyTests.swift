import Foundation
import PortalCore
import PortalProtocol
import Testing

@Suite struct ActivationKeyTests {
    @Test func registrationKeysAreFiveGroupsOfCrockfordBase32() {
        #expect(RegistrationKey("8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B")?.text == "8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B")
        #expect(RegistrationKey("8f3kq-2m9xd-7tq4r-zp6wn-h1c5b")?.text == "8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B", "lower case is normalised")
        for bad in [
            "8F3KQ2M9XD7TQ4RZP6WNH1C5B", "8F3KQ-2M9XD-7TQ4R-ZP6WN", "8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B-", "IF3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B",
            "8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5U", "8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5", "8F3KQ 2M9XD 7TQ4R ZP6WN H1C5B", "",
        ] {
            #expect(RegistrationKey(bad) == nil, "\(bad)")
        }
    }

    @Test func subscriptionKeysCarryTheEndsToTheDayAndAreValidKeys() throws {
        var random = SystemRandomNumberGenerator()
        let activationKey = LicenseKey.random(using: &random)
        let runtimeEnd = Date(timeIntervalSince1970: 1_830_297_600)  // 2028-01-01
        let serviceEnd = Date(timeIntervalSince1970: 1_814_572_800)  // 2027-07-03
        let key = SubscriptionKey.make(runtimeEnd: runtimeEnd, serviceEnd: serviceEnd, activationKey: activationKey)
        #expect(LicenseKey(key.text) == key, "a well-formed key with its check digit")
        let read = SubscriptionKey.read(key)
        #expect(read.runtimeEnd == runtimeEnd && read.serviceEnd == serviceEnd)
        let open = SubscriptionKey.read(SubscriptionKey.make(runtimeEnd: nil, serviceEnd: nil, activationKey: activationKey))
        #expect(open.runtimeEnd == nil && open.serviceEnd == nil)
        let other = SubscriptionKey.make(runtimeEnd: runtimeEnd, serviceEnd: serviceEnd, activationKey: LicenseKey.random(using: &random))
        #expect(other != key, "each activation its own")
    }

    @Test func anActivationWorksUntilItsGraceOrTheLicenseEnds() {
        var random = SystemRandomNumberGenerator()
        let now = Date(timeIntervalSince1970: 1_795_940_100)
        var activation = Activation(
            id: "ac_1", licenseID: "li_1", registrationKey: RegistrationKey("8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B")!,
            activationKey: LicenseKey.random(using: &random), subscriptionKey: LicenseKey.random(using: &random),
            certificate: "", isReactivation: false, activatedAt: now, activatedBy: "us_1")
        #expect(activation.state(at: now, runtimeEnd: nil) == .active)
        #expect(activation.state(at: now, runtimeEnd: now) == .expired)
        activation.supersededAt = now
        activation.graceEnd = now.addingTimeInterval(30 * 86_400)
        #expect(activation.state(at: now.addingTimeInterval(29 * 86_400), runtimeEnd: nil) == .reactivationRequired)
        #expect(activation.state(at: now.addingTimeInterval(30 * 86_400), runtimeEnd: nil) == .expired)
        #expect(activation.validUntil(runtimeEnd: now.addingTimeInterval(86_400)) == now.addingTimeInterval(86_400))
    }
}

@Suite struct PortalEventSerializationTests {
    @Test func theFastSerializationIsTheJSONSerialization() {
        let event = PortalEvent(
            type: .licenseCreated, at: Date(timeIntervalSince1970: 1_795_940_100), company: "co_\"quoted\"",
            parties: ["co_b", "co_a"], licenseID: "li_1", data: ["cause": "command", "nested": ["x": [1, 2, "ü"]]])
        #expect(event.serialized(seq: 42) == event.json(seq: 42).serialized())
    }
}
