import PortalProtocol

/// An import's numbered rows (a row's number is its line), read from the data a block at a time
/// and parsed as they are read: memory stays bounded whatever the file's size, and as the
/// importer reads rows on the thread that prepares the next batch, reading and parsing overlap
/// with writing.
public struct ImportRowReader: Sequence, IteratorProtocol {
    public typealias Element = (number: Int, fields: Result<[String: JSONValue], PortalError>)

    private let format: ImportFile.Format
    private var blocks: LineBlocks
    /// The rows of the last block read, and how many of them were handed out.
    private var rows: [Element] = []
    private var handedOut = 0
    /// The number of the next block's first line.
    private var line = 1
    private var csv = CSVRecords()
    private var csvColumns: [String]?
    private var atEnd = false
    private let failed: () -> Bool

    /// Rows of data in `format`; `read` returns the data's next bytes (cut anywhere), nil at its
    /// end or when reading failed, which `failed` tells apart: then the unfinished last line (or
    /// CSV record) is not a row, since its rest was never read.
    public init(format: ImportFile.Format, read: @escaping () -> [UInt8]?, failed: @escaping () -> Bool = { false }) {
        self.format = format
        self.failed = failed
        blocks = LineBlocks(read: read, failed: failed)
    }

    public mutating func next() -> Element? {
        while handedOut == rows.count {
            guard !atEnd else { return nil }
            let block = blocks.next()
            atEnd = block == nil
            if atEnd && failed() { return nil }
            rows = switch format {
            case .jsonLines: jsonRows(in: block ?? [])
            case .csv: csvRows(in: block ?? [], isLast: atEnd)
            }
            handedOut = 0
        }
        handedOut += 1
        return rows[handedOut - 1]
    }

    private mutating func jsonRows(in block: [UInt8]) -> [Element] {
        var rows: [Element] = []
        var start = block.startIndex
        while start < block.endIndex {
            let end = block[start...].firstIndex(of: UInt8(ascii: "\n")) ?? block.endIndex
            let text = block[start..<end]
            if !ImportFile.isBlank(text) { rows.append((line, ImportFile.jsonRow(text))) }
            line += 1
            start = end + 1
        }
        return rows
    }

    /// The rows of the records that end in `block`. A line that is not UTF-8 is refused and
    /// parsed as an empty line, so that the lines after it keep their numbers.
    private mutating func csvRows(in block: [UInt8], isLast: Bool) -> [Element] {
        var bytes = block
        var refused: [Element] = []
        while let bad = bytes.withUnsafeBufferPointer(JSONParser.firstInvalidUTF8Offset) {
            let start = bytes[..<bad].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            let end = bytes[bad...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            let number = line + bytes[..<start].count(where: { $0 == UInt8(ascii: "\n") })
            refused.append((number, .failure(.badRequest("the line is not valid UTF-8 (byte \(bad - start))"))))
            bytes.removeSubrange(start..<end)
        }
        line += bytes.count(where: { $0 == UInt8(ascii: "\n") })
        var rows: [Element] = []
        for record in csv.parse(String(decoding: bytes, as: UTF8.self), isLast: isLast) {
            guard let columns = csvColumns else {
                csvColumns = ImportFile.csvColumns(record)
                continue
            }
            if let fields = ImportFile.csvRow(record, columns: columns) { rows.append((record.line, fields)) }
        }
        // Refused lines are reported in file order among the block's rows.
        return refused.isEmpty ? rows : (refused + rows).sorted { $0.number < $1.number }
    }
}

/// Bytes cut into blocks that end with a line break (but the last): a line, and so a multi-byte
/// character, never spans two blocks, and each block can be decoded on its own.
private struct LineBlocks {
    private let read: () -> [UInt8]?
    private let failed: () -> Bool
    /// Bytes read after the last line break handed out.
    private var carry: [UInt8] = []
    private var atEnd = false

    init(read: @escaping () -> [UInt8]?, failed: @escaping () -> Bool) {
        self.read = read
        self.failed = failed
    }

    /// The next block; nil at the end.
    mutating func next() -> [UInt8]? {
        while !atEnd {
            guard let bytes = read(), !bytes.isEmpty else {
                atEnd = true
                break
            }
            carry.append(contentsOf: bytes)
            if let lastBreak = carry.lastIndex(of: UInt8(ascii: "\n")) {
                defer { carry.removeSubrange(...lastBreak) }
                return Array(carry[...lastBreak])
            }
        }
        guard !carry.isEmpty, !failed() else { return nil }
        defer { carry = [] }
        return carry
    }
}
