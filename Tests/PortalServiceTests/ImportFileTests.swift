import PortalProtocol
@testable import PortalService
import Testing

/// Reading import files: JSON Lines and RFC 4180 CSV into numbered rows.
@Suite struct ImportFileTests {
    @Test func jsonLinesAreNumberedByLineAndBlankLinesSkipped() throws {
        let rows = ImportFile.rows(of: "{\"type\":\"company\"}\n\n  \nnot json\n[1]\n{\"a\":2}", format: .jsonLines)
        #expect(rows.map(\.number) == [1, 4, 5, 6])
        #expect(try rows[0].fields.get() == ["type": "company"])
        #expect(throws: PortalError.self) { try rows[1].fields.get() }
        #expect(throws: PortalError.self) { try rows[2].fields.get() }
        #expect(try rows[3].fields.get() == ["a": 2])
    }

    @Test func csvCellsBecomeMembersWithNumbersAndLists() throws {
        let csv = "type,ref,name,views,quantity,order_position\r\ncompany,C-1,\"Comma, \"\"Quoted\"\" Inc\",customer; reseller,,\nlicense,,,,5,2\n,,,,,\n"
        let rows = ImportFile.rows(of: csv, format: .csv)
        #expect(rows.map(\.number) == [2, 3])
        #expect(try rows[0].fields.get() == [
            "type": "company", "ref": "C-1", "name": "Comma, \"Quoted\" Inc", "views": ["customer", "reseller"],
        ])
        #expect(try rows[1].fields.get() == ["type": "license", "quantity": 5, "order_position": 2])
    }

    @Test func csvQuotedLineBreaksStayInTheCellAndLineNumbersFollowTheFile() throws {
        let rows = ImportFile.rows(of: "type,name\ncompany,\"two\nlines\"\ncompany,next\n", format: .csv)
        #expect(try rows[0].fields.get()["name"] == "two\nlines")
        #expect(rows.map(\.number) == [2, 4])
    }

    @Test func csvRowsWithMoreCellsThanTheHeaderAreRefused() {
        let rows = ImportFile.rows(of: "type,name\ncompany,a,b\n", format: .csv)
        #expect(throws: PortalError.self) { try rows[0].fields.get() }
    }
}
