import PortalCore
import Testing

/// Prices of service offers: exact decimal strings, kept and shown as quoted, never floating point.
@Suite struct OfferMoneyTests {
    @Test(arguments: [
        ("1250", 1_250, 0), ("1250.5", 12_505, 1), ("1250.50", 125_050, 2), ("0.01", 1, 2), ("0.0001", 1, 4),
        ("999999999999.9999", 9_999_999_999_999_999, 4),
    ] as [(String, Int64, Int)])
    func anAmountIsKeptExactlyAsQuoted(amount: String, units: Int64, decimals: Int) throws {
        let money = try Money(amount: amount, currency: "EUR")
        #expect(money.units == units && money.decimals == decimals)
        #expect(money.amount == amount)
        #expect(Money(units: units, decimals: decimals, currency: "EUR") == money, "the stored form reads back the same")
    }

    @Test(arguments: ["", "0", "0.000", "-1", "+1", "1e3", "01", "1.", ".5", "1.23456", "1,5", "1 000", "1000000000000", "١٢"])
    func malformedAmountsAreRefused(amount: String) {
        #expect(throws: Money.Invalid.amount) { try Money(amount: amount, currency: "EUR") }
    }

    @Test func theCurrencyIsThreeLettersInCapitals() throws {
        #expect(try Money(amount: "1", currency: "chf").currency == "CHF")
        for code in ["", "EU", "EURO", "E1R", "€", "ÄÖÜ"] {
            #expect(throws: Money.Invalid.currency) { try Money(amount: "1", currency: code) }
        }
        #expect(Money(units: 0, decimals: 2, currency: "EUR") == nil, "more than zero")
        #expect(Money(units: 1, decimals: 5, currency: "EUR") == nil)
    }
}
