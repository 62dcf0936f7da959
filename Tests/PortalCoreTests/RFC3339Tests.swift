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

    /// Written directly, timestamps read exactly as Foundation's formatter writes them: whole
    /// seconds (fractions dropped), before 1970 too, across leap days and centuries.
    @Test func formattingAgreesWithFoundation() {
        var generator = SystemRandomNumberGenerator()
        let moments = [-86_400.5, -0.25, 0, 0.999, 951_782_399.75, 4_107_542_400, 253_402_300_799]
            + (0..<2_000).map { _ in Double.random(in: -2_000_000_000...8_000_000_000, using: &generator) }
        for seconds in moments {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(RFC3339.string(from: date) == date.formatted(Date.ISO8601FormatStyle()), "\(seconds)")
        }
    }

    /// What replies append in place is the string, also for years Foundation writes.
    @Test(arguments: [0, 1_795_940_100.5, -62_135_596_801, 253_402_300_800])
    func writingAppendsTheString(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        var bytes = Array("before ".utf8)
        RFC3339.write(date, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "before " + RFC3339.string(from: date))
    }

    @Test func otherRFC3339FormsGoThroughFoundation() {
        #expect(RFC3339.date(from: "2026-11-29T09:15:00+01:00") == RFC3339.date(from: "2026-11-29T08:15:00Z"))
    }
}
