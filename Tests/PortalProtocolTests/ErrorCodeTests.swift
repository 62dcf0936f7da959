import Foundation
import PortalProtocol
import Testing

@Suite struct ErrorCodeTests {
    @Test func completeSetOfRawValues() {
        #expect(Set(ErrorCode.allCases.map(\.rawValue)) == [
            "bad_request", "unknown_command", "unsupported_version", "unauthenticated", "forbidden", "not_found",
            "conflict", "limit_exceeded", "rate_limited", "busy", "too_large", "internal",
        ])
        #expect(ErrorCode.allCases.count == 12)
    }

    @Test func encodesAsItsRawValue() throws {
        let data = try JSONEncoder().encode([ErrorCode.tooLarge, .internal])
        #expect(String(decoding: data, as: UTF8.self) == #"["too_large","internal"]"#)
        #expect(try JSONDecoder().decode(ErrorCode.self, from: Data(#""rate_limited""#.utf8)) == .rateLimited)
    }

    @Test func portalErrorJSON() {
        #expect(PortalError(.forbidden, "no").json == ["code": "forbidden", "message": "no"])
        #expect(PortalError(.limitExceeded, "full", details: ["remaining": 0]).json
            == ["code": "limit_exceeded", "message": "full", "details": ["remaining": 0]])
        #expect(PortalError.badRequest("x").code == .badRequest)
        #expect(PortalError(.busy, "later").description == "busy: later")
    }
}
