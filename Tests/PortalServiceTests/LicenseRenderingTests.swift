import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// The license overview written directly (`LicensePresenter`, `Activation.write`,
/// `LicenseHistoryEntry.write`) against the same values built as a `JSONValue` tree and
/// serialized, as replies were made before: byte for byte, over every model, view and detail.
@Suite struct LicenseRenderingTests {
    static let now = Date(timeIntervalSince1970: 1_795_940_100)
    static let names = [
        "co_owner": "Ölwerke \"Süd\" AG \\ Werk 2", "co_int": "Integrator\tGmbH", "co_res": "Reseller KG",
        "co_dist": "配送 AG", "co_part": "Partner 😀 Inc",
    ]
    static let products = ["pr_engine": Product(id: "pr_engine", productLineID: "pl_tp", name: "Engine \"X\"\n")]
    static let lines = ["pl_tp": ProductLine(id: "pl_tp", name: "ThinPrint ü")]

    /// Licenses of every model, with and without service, runtime end, parties and activation.
    static func licenses() -> [License] {
        var random = SeededGenerator(seed: 11)
        var licenses: [License] = []
        for (index, model) in LicenseModel.allCases.enumerated() {
            for variant in 0..<4 {
                let orderDate = now.addingTimeInterval(Double(-index * 20 - variant * 7) * 86_400)
                licenses.append(License(
                    id: "li_\(index)_\(variant)", key: LicenseKey.random(using: &random),
                    productID: variant == 3 ? "pr_unknown" : "pr_engine", edition: "Standard \(variant)",
                    quantity: variant * 5, model: model, orderReference: "SO-\"\(index)\"", orderPosition: variant,
                    orderDate: orderDate,
                    parties: variant % 2 == 0
                        ? License.Parties(owner: "co_owner", integrator: "co_int", reseller: "co_res", distributor: "co_dist", partner: "co_part")
                        : License.Parties(owner: "co_owner", reseller: "co_gone"),
                    runtimeEnd: variant == 1 ? nil : now.addingTimeInterval(Double(variant * 40 - 50) * 86_400),
                    service: variant == 2 ? nil : License.Service(level: "Gold", start: orderDate, end: now.addingTimeInterval(Double(variant) * 86_400)),
                    activationSlots: variant + 1, activationState: ActivationState.allCases[variant % ActivationState.allCases.count],
                    destroyedAt: variant == 3 ? now.addingTimeInterval(-86_400) : nil))
            }
        }
        return licenses
    }

    /// A current activation, one superseded within its grace period, one without a grace end.
    static func activations(of license: License) -> [Activation] {
        var random = SeededGenerator(seed: 12)
        var activations: [Activation] = []
        for index in 0..<3 {
            let activatedAt: Date = now.addingTimeInterval(Double(-index) * 3_600)
            let supersededAt: Date? = index == 2 ? nil : now.addingTimeInterval(-60)
            let graceEnd: Date? = index == 0 ? now.addingTimeInterval(86_400) : nil
            activations.append(Activation(
                id: "ac_\(index)", licenseID: license.id, registrationKey: RegistrationKey("AAAAA-BBBBB-CCCCC-DDDDD-EEEE\(index)")!,
                activationKey: LicenseKey.random(using: &random), subscriptionKey: LicenseKey.random(using: &random),
                certificate: "eyJ.\(index)", isReactivation: index > 0, activatedAt: activatedAt, activatedBy: "us_1",
                supersededAt: supersededAt, graceEnd: graceEnd))
        }
        return activations
    }

    /// Stored event data of every shape: the members a view hides, text that looks like them,
    /// escapes, nesting, non-ASCII, nothing left once the hidden members are gone, nothing at all.
    static let historyData: [[String: JSONValue]] = [
        ["license": ["id": "li_1", "key": "K"], "by": "us_1", "cause": "command", "model": "alm",
         "order": ["position": 1, "reference": "SO-\"1\"\n"]],
        ["license": "li_1"], [:],
        ["by": "us_2", "note": "say \"license\":{} \\ by", "nested": ["license": "kept", "by": [1, nil]], "ü": "中文 😀\u{1}"],
    ]

    static let history: [LicenseHistoryEntry] = historyData.enumerated().map { index, data in
        LicenseHistoryEntry(
            seq: Int64(index + 1), type: "license.changed", at: now.addingTimeInterval(Double(index)),
            data: String(decoding: JSONValue.object(data).serialized(), as: UTF8.self))
    }

    static func presenter(_ view: PortalView) -> LicensePresenter {
        LicensePresenter(view: view, now: now, products: products, productLines: lines, companyNames: names)
    }

    @Test(arguments: PortalView.allCases)
    func overviewItemsAreTheBytesOfTheTree(view: PortalView) throws {
        let presenter = Self.presenter(view)
        for license in Self.licenses() {
            var json = JSONWriter()
            try presenter.write(license, to: &json)
            #expect(text(json.bytes) == text(TreeRendering.item(license, presenter, view: view).serialized()), "\(license.id)")
        }
    }

    @Test(arguments: PortalView.allCases)
    func detailsAreTheBytesOfTheTree(view: PortalView) throws {
        let presenter = Self.presenter(view)
        for license in Self.licenses() {
            let activations = Self.activations(of: license)
            var json = JSONWriter()
            try presenter.write(license, history: Self.history, activations: activations, to: &json)
            guard case .object(var tree) = TreeRendering.item(license, presenter, view: view) else { Issue.record("not an object"); return }
            tree["history"] = .array(try Self.history.map(TreeRendering.historyItem))
            tree["activations"] = .array(activations.map { TreeRendering.activation($0, license: license, at: Self.now, certificate: false) })
            #expect(text(json.bytes) == text(JSONValue.object(tree).serialized()), "\(license.id)")
        }
    }

    @Test func activationsWithTheirCertificateAreTheBytesOfTheTree() {
        let license = Self.licenses()[5]
        for activation in Self.activations(of: license) {
            var json = JSONWriter()
            activation.write(license: license, at: Self.now, certificate: true, to: &json)
            #expect(text(json.bytes) == text(TreeRendering.activation(activation, license: license, at: Self.now, certificate: true).serialized()))
        }
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// The overview as a `JSONValue` tree, the way it was built before it was written directly:
/// the reference the direct writing is held to.
private enum TreeRendering {
    static func item(_ license: License, _ presenter: LicensePresenter, view: PortalView) -> JSONValue {
        let now = presenter.now
        let status = license.status(at: now)
        let product = presenter.products[license.productID]
        var parties: [String: JSONValue] = [:]
        for role in LicensePartyRole.visible(in: view) {
            guard let id = license.parties[role] else { continue }
            parties[role.rawValue] = ["id": .string(id), "name": .string(presenter.companyNames[id] ?? "")]
        }
        var service: JSONValue = ["state": .string(license.serviceState(at: now).rawValue)]
        if let details = license.service {
            service = [
                "level": .string(details.level), "start": .string(RFC3339.string(from: details.start)),
                "end": .string(RFC3339.string(from: details.end)), "state": .string(license.serviceState(at: now).rawValue),
            ]
        }
        var activation: [String: JSONValue] = [
            "slots": .int(Int64(license.activationSlots)), "state": .string(license.activationState.rawValue),
        ]
        if let end = license.testPhaseEnd { activation["test_phase_end"] = .string(RFC3339.string(from: end)) }
        return [
            "id": .string(license.id), "key": .string(license.key.text),
            "product": [
                "id": .string(license.productID), "name": .string(product?.name ?? ""),
                "line": .string(product.flatMap { presenter.productLines[$0.productLineID]?.name } ?? ""),
            ],
            "edition": .string(license.edition), "quantity": .int(Int64(license.quantity)),
            "model": .string(license.model.rawValue), "status": .string(status.rawValue), "colour": .string(status.colour),
            "order": [
                "reference": .string(license.orderReference), "position": .int(Int64(license.orderPosition)),
                "date": .string(RFC3339.string(from: license.orderDate)),
            ],
            "runtime_end": license.runtimeEnd.map { .string(RFC3339.string(from: $0)) } ?? .null,
            "service": service, "parties": .object(parties), "activation": .object(activation),
        ]
    }

    static func historyItem(_ entry: LicenseHistoryEntry) throws -> JSONValue {
        var data = try JSONParser.parse(Array(entry.data.utf8), maxDepth: 64).objectValue ?? [:]
        data["license"] = nil
        data["by"] = nil
        return [
            "seq": .int(entry.seq), "type": .string(entry.type), "at": .string(RFC3339.string(from: entry.at)),
            "data": .object(data),
        ]
    }

    static func activation(_ activation: Activation, license: License, at now: Date, certificate: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(activation.id), "registration_key": .string(activation.registrationKey.text),
            "activation_key": .string(activation.activationKey.text), "subscription_key": .string(activation.subscriptionKey.text),
            "activated_at": .string(RFC3339.string(from: activation.activatedAt)),
            "valid_until": activation.validUntil(runtimeEnd: license.activationsEnd).map { .string(RFC3339.string(from: $0)) } ?? .null,
            "service_end": license.service.map { .string(RFC3339.string(from: $0.end)) } ?? .null,
            "state": .string(activation.state(at: now, runtimeEnd: license.activationsEnd).rawValue),
        ]
        if certificate { object["certificate"] = .string(activation.certificate) }
        return .object(object)
    }
}
