import Foundation
import PortalCore

/// Makes the demo licenses: a showcase with every status, model and service state for the demo
/// companies, and uniform filler licenses for load tests.
struct DemoLicenseBuilder {
    let now: Date
    private var serial = 0

    init(now: Date) {
        self.now = now
    }

    private func days(_ count: Int) -> Date { now.addingTimeInterval(TimeInterval(count) * 86_400) }

    private static let levels = ["Basic", "Standard", "Premium"]
    private static let editions = ["Standard", "Enterprise", "Datacenter"]

    /// The next license, numbered in order so ids, order references and positions are unique.
    private mutating func license(
        model: LicenseModel, owner: String, reseller: String? = DemoCatalogue.reseller,
        distributor: String? = DemoCatalogue.distributor, partner: String? = nil, integrator: String? = nil,
        runtimeEnd: Date?, serviceEnd: Date?, activation: ActivationState = .none, destroyed: Bool = false,
        parent: License? = nil, using random: inout SeededGenerator
    ) -> License {
        serial += 1
        let product = DemoCatalogue.products[serial % DemoCatalogue.products.count]
        let orderDate = days(-400 + serial * 7 % 380)
        return License(
            id: "li_demo_\(serial)", key: LicenseKey.random(using: &random), productID: parent?.productID ?? product.id,
            edition: Self.editions[serial % Self.editions.count], quantity: [1, 5, 10, 25, 50][serial % 5], model: model,
            orderReference: "SO-2026-\(String(format: "%06d", 1_000 + serial / 3))", orderPosition: serial % 3 + 1,
            orderDate: orderDate,
            parties: License.Parties(
                owner: owner, integrator: integrator, reseller: reseller, distributor: reseller == nil ? nil : distributor,
                partner: partner),
            runtimeEnd: parent?.runtimeEnd ?? runtimeEnd,
            service: serviceEnd.map { License.Service(level: Self.levels[serial % Self.levels.count], start: orderDate, end: $0) },
            activationSlots: model == .perpetual && serial % 4 == 0 ? 2 : 1,
            activationState: activation, destroyedAt: destroyed ? days(-3) : nil, parentID: parent?.id)
    }

    /// The demo companies' licenses: Demo Customer AG holds at least five in every status and
    /// licenses of every model a customer holds, with services active, expiring, expired and
    /// absent; most sold by the demo reseller and supplied by the demo distributor, every third
    /// in the demo partner's channel; every view of every demo account sees some.
    mutating func showcaseLicenses(using random: inout SeededGenerator) -> [License] {
        var licenses: [License] = []
        let serviceEnds: [Int?] = [200, 14, -20, nil, 400]
        // not_activated, activated, reactivation_required: six each, runtimes still running.
        for activation in [ActivationState.none, .activated, .reactivationRequired] {
            for index in 0..<6 {
                let model: LicenseModel = [.perpetual, .alm, .alm, .trial, .perpetual, .alm][index]
                let runtimeEnd: Date? = switch model {
                case .alm: days(100 + index * 30)
                case .trial: days(10 + index)
                default: nil
                }
                licenses.append(license(
                    model: model, owner: DemoCatalogue.customer, partner: index % 3 == 0 ? DemoCatalogue.partner : nil,
                    runtimeEnd: runtimeEnd, serviceEnd: model == .trial ? nil : serviceEnds[index % 5].map(days),
                    activation: activation, using: &random))
            }
        }
        for index in 0..<5 {  // expired: the runtime has ended
            licenses.append(license(
                model: index % 2 == 0 ? .alm : .trial, owner: DemoCatalogue.customer,
                runtimeEnd: days(-10 - index * 40), serviceEnd: index % 2 == 0 ? days(-10 - index * 40) : nil,
                activation: .activated, using: &random))
        }
        for index in 0..<5 {  // destroyed: kept for audit
            licenses.append(license(
                model: .perpetual, owner: DemoCatalogue.customer, runtimeEnd: nil, serviceEnd: days(60 + index),
                activation: .activated, destroyed: true, using: &random))
        }
        let almParent = licenses.first { $0.model == .alm }!
        for _ in 0..<2 {  // free keys retrieved under an ALM license, ending with it
            licenses.append(license(
                model: .free, owner: DemoCatalogue.customer, runtimeEnd: nil, serviceEnd: nil, parent: almParent,
                using: &random))
        }
        for index in 0..<3 {  // the second customer, managed by the integrator
            licenses.append(license(
                model: .alm, owner: DemoCatalogue.customer2, runtimeEnd: days(150 + index), serviceEnd: days(150 + index),
                activation: index == 0 ? .activated : .none, using: &random))
        }
        licenses.append(license(  // a license naming the integrator directly
            model: .perpetual, owner: DemoCatalogue.customer, integrator: DemoCatalogue.integrator, runtimeEnd: nil,
            serviceEnd: days(90), activation: .activated, using: &random))
        for index in 0..<4 {  // the provider's contract licenses, bought direct from the vendor
            licenses.append(license(
                model: .serviceProvider, owner: DemoCatalogue.provider, reseller: nil, runtimeEnd: days(300),
                serviceEnd: days(300), activation: index < 2 ? .activated : .none, using: &random))
        }
        for index in 0..<2 {  // the multi company: provider licenses of its own, and licenses it sold
            licenses.append(license(
                model: .serviceProvider, owner: DemoCatalogue.multi, reseller: nil, runtimeEnd: days(250),
                serviceEnd: days(250), activation: .activated, using: &random))
            licenses.append(license(
                model: .perpetual, owner: DemoCatalogue.customer2, reseller: DemoCatalogue.multi, runtimeEnd: nil,
                serviceEnd: days(20 + index * 300), using: &random))
        }
        return licenses
    }

    /// A filler license for load tests: mostly perpetual and ALM, services ending over the next two years.
    mutating func fillerLicense(index: Int, owner: String, reseller: String, using random: inout SeededGenerator) -> License {
        let model: LicenseModel = index % 3 == 0 ? .alm : .perpetual
        let end = days(index % 730 - 30)
        return license(
            model: model, owner: owner, reseller: reseller, distributor: DemoCatalogue.distributor,
            runtimeEnd: model == .alm ? end : nil, serviceEnd: end,
            activation: index % 2 == 0 ? .activated : .none, using: &random)
    }
}
