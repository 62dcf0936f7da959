import Foundation
@testable import PortalCore
import Testing

/// Timestamps: the fast path for the protocol's own form agrees with Foundation everywhere.
@Suite struct RFC3339Tests {
    @Test(arguments: [
        "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2026-11-29T08:15:00Z", "2100-03-01T00:00:00Z",
        "1999-12-31T12:30:45Z", "2400-02-29T00:00:00Z",
    ])
    func theFastPathAgreesWithFoundation(text: String) throws {
        let fast = try #require(RFC3339.utcSeconds(Array(text.utf8)))
        let foundation = try Date.ISO8601FormatStyle().parse(text)
        #expect(Double(fast) == foundation.timeIntervalSince1970)
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: Double(fast))) == text)
    }

    @Test(arguments: ["2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-1-01T00:00:00Z", "soon", ""])
    func impossibleDatesAreRefused(text: String) {
        #expect(RFC3339.date(from: text) == nil)
    }

    @Test func otherRFC3339FormsGoThroughFoundation() {
        #expect(RFC3339.date(from: "2026-11-29T09:15:00+01:00") == RFC3339.date(from: "2026-11-29T08:15:00Z"))
    }
}
