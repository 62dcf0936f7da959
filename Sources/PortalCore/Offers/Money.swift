/// An amount of money in a currency, exact: the count of the amount's last decimal place and how
/// many decimals it has (`1250.50` is 125050 at 2 decimals), never a floating-point number, so a
/// price is stored, compared and shown exactly as it was quoted. On the wire the amount is a
/// decimal string, because JSON numbers are read as binary floating point by many clients.
public struct Money: Sendable, Equatable {
    /// What is wrong with a given amount or currency.
    public enum Invalid: Error, Sendable, Equatable {
        case amount, currency
    }

    /// ISO 4217 currencies have up to four decimals (CLF, UYW).
    public static let maxDecimals = 4
    /// Up to 999,999,999,999: with four decimals still far inside 64 bits.
    public static let maxIntegerDigits = 12

    /// The amount in units of its last decimal place; more than zero.
    public let units: Int64
    public let decimals: Int
    /// An ISO 4217 code in shape: three capital letters (`EUR`). Whether the code is assigned is
    /// the seller's business.
    public let currency: String

    /// The stored form; nil when it does not make a valid amount.
    public init?(units: Int64, decimals: Int, currency: String) {
        guard units > 0, (0...Self.maxDecimals).contains(decimals), Self.isCurrencyCode(currency) else { return nil }
        self.units = units
        self.decimals = decimals
        self.currency = currency
    }

    /// The wire form: `amount` a decimal string with a dot and up to four decimals
    /// (`1250`, `1250.5`, `1250.50`), no sign, no exponent, no leading zeros, more than zero;
    /// `currency` three letters, taken in capitals.
    public init(amount: String, currency: String) throws(Invalid) {
        let parts = amount.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = parts[0], fraction = parts.count > 1 ? parts[1] : ""
        let isDigits = { (text: Substring) in text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
        guard !integer.isEmpty, integer.count <= Self.maxIntegerDigits, isDigits(integer),
              integer == "0" || !integer.hasPrefix("0"),
              parts.count == 1 || (1...Self.maxDecimals).contains(fraction.count), isDigits(fraction),
              let units = Int64(integer + fraction), units > 0
        else { throw .amount }
        let code = currency.uppercased()
        guard Self.isCurrencyCode(code) else { throw .currency }
        self.units = units
        self.decimals = fraction.count
        self.currency = code
    }

    /// The amount as quoted: `units` with its decimals put back.
    public var amount: String {
        let digits = String(units)
        guard decimals > 0 else { return digits }
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        return padded.dropLast(decimals) + "." + padded.suffix(decimals)
    }

    static func isCurrencyCode(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }
}
