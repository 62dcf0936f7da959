import PortalProtocol
@testable import PortalService
import Testing

/// Reading import files: JSON Lines and RFC 4180 CSV into numbered rows, a block at a time.
@Suite struct ImportFileTests {
    /// The rows of `text` read in blocks of `blockSize` bytes, as a file is read.
    static func rows(_ text: String, _ format: ImportFile.Format, blockSize: Int = 4) -> [ImportRowReader.Element] {
        rows(Array(text.utf8), format, blockSize: blockSize)
    }

    static func rows(_ bytes: [UInt8], _ format: ImportFile.Format, blockSize: Int = 4) -> [ImportRowReader.Element] {
        var offset = 0
        return Array(ImportRowReader(format: format) {
            guard offset < bytes.count else { return nil }
            defer { offset += blockSize }
            return Array(bytes[offset..<min(offset + blockSize, bytes.count)])
        })
    }

    @Test func aLineCutShortByAReadErrorIsNotARow() throws {
        for format in [ImportFile.Format.jsonLines, .csv] {
            let text = format == .csv
                ? "type,ref,name\ncompany,C-1,One\ncompany,C-2,Tw"
                : "{\"type\":\"company\",\"ref\":\"C-1\"}\n{\"type\":\"company\",\"ref\":\"C-2\"}"
            let bytes = Array(text.utf8)
            // Reading fails after everything but the last 5 bytes: the last line is incomplete.
            var offset = 0
            let readable = bytes.count - 5
            let rows = Array(ImportRowReader(format: format, read: {
                guard offset < readable else { return nil }
                defer { offset += 4 }
                return Array(bytes[offset..<min(offset + 4, readable)])
            }, failed: { offset >= readable }))
            #expect(rows.map(\.number) == [format == .csv ? 2 : 1], "\(format)")
        }
    }

    @Test func jsonLinesAreNumberedByLineAndBlankLinesSkipped() throws {
        let rows = Self.rows("{\"type\":\"company\"}\n\n  \nnot json\n[1]\n{\"a\":2}", .jsonLines)
        #expect(rows.map(\.number) == [1, 4, 5, 6])
        #expect(try rows[0].fields.get() == ["type": "company"])
        #expect(throws: PortalError.self) { try rows[1].fields.get() }
        #expect(throws: PortalError.self) { try rows[2].fields.get() }
        #expect(try rows[3].fields.get() == ["a": 2])
    }

    @Test func csvCellsBecomeMembersWithNumbersAndLists() throws {
        let csv = "type,ref,name,views,quantity,order_position\r\ncompany,C-1,\"Comma, \"\"Quoted\"\" Inc\",customer; reseller,,\nlicense,,,,5,2\n,,,,,\n"
        let rows = Self.rows(csv, .csv)
        #expect(rows.map(\.number) == [2, 3])
        #expect(try rows[0].fields.get() == [
            "type": "company", "ref": "C-1", "name": "Comma, \"Quoted\" Inc", "views": ["customer", "reseller"],
        ])
        #expect(try rows[1].fields.get() == ["type": "license", "quantity": 5, "order_position": 2])
    }

    @Test func csvQuotedLineBreaksStayInTheCellAndLineNumbersFollowTheFile() throws {
        let rows = Self.rows("type,name\ncompany,\"two\nlines\"\ncompany,next\n", .csv)
        #expect(try rows[0].fields.get()["name"] == "two\nlines")
        #expect(rows.map(\.number) == [2, 4])
    }

    @Test func csvRowsWithMoreCellsThanTheHeaderAreRefused() {
        let rows = Self.rows("type,name\ncompany,a,b\n", .csv)
        #expect(throws: PortalError.self) { try rows[0].fields.get() }
    }

    @Test(arguments: [1, 2, 3, 7, 64, 1 << 20])
    func blocksOfAnySizeGiveTheSameRows(blockSize: Int) throws {
        // Multi-byte characters, CRLF line ends, a quoted cell over two lines and no final line break.
        let jsonLines = "{\"name\":\"Müller Druck\"}\r\n\n{\"name\":\"Ωmega\"}\n{\"name\":\"last\"}"
        let json = Self.rows(jsonLines, .jsonLines, blockSize: blockSize)
        #expect(json.map(\.number) == [1, 3, 4])
        #expect(try json.map { try $0.fields.get()["name"] } == ["Müller Druck", "Ωmega", "last"])

        let csv = Self.rows("type,name\r\ncompany,Müller\r\ncompany,\"Ω\r\nmega\"\r\ncompany,last", .csv, blockSize: blockSize)
        #expect(csv.map(\.number) == [2, 3, 5])
        #expect(try csv.map { try $0.fields.get()["name"] } == ["Müller", "Ω\r\nmega", "last"])
    }

    @Test func linesThatAreNotUTF8AreRefusedAndTheOthersKeepTheirNumbers() throws {
        let bad: [UInt8] = [0xC3, 0x28]  // a lead byte without its continuation
        let csv = Array("type,name\ncompany,a\ncompany,".utf8) + bad + Array("\ncompany,c\n".utf8)
        let rows = Self.rows(csv, .csv, blockSize: 1 << 20)
        #expect(rows.map(\.number) == [2, 3, 4])
        #expect(throws: PortalError.self) { try rows[1].fields.get() }
        #expect(try rows[2].fields.get()["name"] == "c")

        let json = Array("{\"a\":1}\n{\"a\":\"".utf8) + bad + Array("\"}\n{\"a\":3}\n".utf8)
        let jsonRows = Self.rows(json, .jsonLines)
        #expect(jsonRows.map(\.number) == [1, 2, 3])
        #expect(throws: PortalError.self) { try jsonRows[1].fields.get() }
    }
}
