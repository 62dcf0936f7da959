import Foundation
import PortalProtocol
import Testing

/// Software activation through the real `portald` with demo data and real signing keys: the
/// certificate verifies with `portalctl verify` and with OpenSSL, the view matrix holds, and the
/// activation is an event.
@Suite struct ActivationEndToEndTests {
    static let registrationKey = "8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B"

    private func activate(_ license: String, token: String, view: String, on server: PortaldProcess) throws -> JSONValue {
        try server.client().request(RequestLine.line(
            id: 1, command: "license.activate", auth: token, view: view,
            arguments: ["license": .string(license), "registration_key": .string(Self.registrationKey)]))
    }

    @Test func aCustomerActivatesAndIndependentVerifiersAcceptTheCertificate() throws {
        let world = try DemoWorld()
        let keys = world.folder.path("keys")
        let generated = try ChildProcess.run(try TestExecutables.portald(), ["keys", "generate", "--keys-dir", keys])
        try #require(generated.status == 0, "portald keys generate: \(generated.standardError)")
        let server = try world.start(["--keys-dir", keys])
        let customer = try DemoWorld.token("customer@demo.example", on: server)

        let reply = try activate("li_demo_2", token: customer, view: "customer", on: server)
        let activation = try #require(reply["result"]?["activation"], "\(reply)")
        let certificate = try #require(activation["certificate"]?.stringValue)

        let jwks = try server.client().request(RequestLine.line(id: 1, command: "system.keys"))
        let jwksFile = try world.folder.write(String(decoding: jwks.serialized(), as: UTF8.self), to: "jwks.json")
        let verified = try PortalctlCommand.run(["verify", certificate, "--jwks", jwksFile])
        #expect(verified.status == 0, "stderr: \(verified.standardError)")
        let payload = try JSONParser.parse(Array(verified.standardOutput.utf8), maxDepth: 16)
        #expect(payload["registration_key"]?.stringValue == Self.registrationKey)
        #expect(payload["activation_key"] == activation["activation_key"])
        #expect(payload["license_key"]?.stringValue == "PRDKV-Q0EG0-N2VJK-6JWJK-EBM06")

        if OpenSSL.executable != nil {
            let x = try #require(jwks["result"]?["keys"]?.arrayValue?.first?["x"]?.stringValue.flatMap(OpenSSL.base64URLDecode))
            let openssl = try OpenSSL.verify(certificate, publicKey: x, in: world.folder)
            #expect(openssl.status == 0, "openssl: \(openssl.standardOutput) \(openssl.standardError)")
        }

        let again = try activate("li_demo_2", token: customer, view: "customer", on: server)
        #expect(again["result"] == reply["result"], "the same server gets the same activation")
        let events = try DemoWorld.events(on: server).filter { $0["data"]?["license"]?["id"] == "li_demo_2" }
        #expect(events.map { $0["type"] } == ["license.created", "license.activated", "license.status"])
    }

    @Test func activationIsOfferedExactlyWhereTheFeatureMatrixSays() throws {
        let world = try DemoWorld()
        let keys = world.folder.path("keys")
        _ = try ChildProcess.run(try TestExecutables.portald(), ["keys", "generate", "--keys-dir", keys])
        let server = try world.start(["--keys-dir", keys])
        for (email, view) in [("reseller@demo.example", "reseller"), ("distributor@demo.example", "distributor"), ("partner@demo.example", "partner")] {
            let reply = try activate("li_demo_2", token: try DemoWorld.token(email, on: server), view: view, on: server)
            #expect(reply["error"]?["code"] == "forbidden", "\(view): \(reply)")
        }
        let other = try activate("li_demo_2", token: try DemoWorld.token("customer2@demo.example", on: server), view: "customer", on: server)
        #expect(other["error"]?["code"] == "not_found", "another company's license is not there")
    }
}
