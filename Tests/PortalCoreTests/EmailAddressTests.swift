import PortalCore
import Testing

@Suite struct EmailAddressTests {
    @Test(arguments: [
        "a@b.c", "jane.doe@example.com", "Jane.Doe+portal@mail.example.co.uk", "o'brien@example.ie", "x@xn--bcher-kva.example",
    ])
    func plausible(address: String) {
        #expect(EmailAddress.isPlausible(address))
    }

    @Test(arguments: [
        "", "plain", "@example.com", "jane@", "jane@example", "jane@example.", "jane@.example", "jane@example..com",
        "jane@@example.com", "jane@doe@example.com", "jane doe@example.com", "jane@exa mple.com", " jane@example.com",
        "jane@example.com\n", "jane@example.com\t",
    ])
    func implausible(address: String) {
        #expect(!EmailAddress.isPlausible(address))
    }
}
