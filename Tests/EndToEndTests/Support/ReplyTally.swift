import PortalProtocol
import Testing

/// Counts the reply lines of many reply frames by id, to check that every request line was
/// answered exactly once.
struct ReplyTally {
    private(set) var countByID: [JSONValue: Int] = [:]
    private(set) var okLines = 0
    /// Failed lines by error code.
    private(set) var errorLines: [String: Int] = [:]
    /// Error messages seen, by error code.
    private(set) var messages: [String: Set<String>] = [:]
    private(set) var frames = 0

    mutating func add(_ frame: [JSONValue]) {
        frames += 1
        for reply in frame {
            countByID[reply.replyID ?? .null, default: 0] += 1
            if reply.isOK {
                okLines += 1
            } else {
                let code = reply.errorCode ?? "?"
                errorLines[code, default: 0] += 1
                messages[code, default: []].insert(reply.errorMessage ?? "")
            }
        }
    }

    var lines: Int { countByID.values.reduce(0, +) }

    /// Records an issue unless every id of `expected` was answered exactly once and nothing else was.
    func expectEachAnsweredOnce(ids expected: some Collection<Int>, sourceLocation: SourceLocation = #_sourceLocation) {
        let expectedIDs = Set(expected.map { JSONValue.int(Int64($0)) })
        let missing = expected.filter { countByID[.int(Int64($0))] == nil }
        let repeated = countByID.filter { $0.value > 1 }.map(\.key.text).sorted()
        let unexpected = countByID.keys.filter { !expectedIDs.contains($0) }.map(\.text).sorted()
        #expect(missing.isEmpty, "\(missing.count) of \(expected.count) lines got no reply, e.g. ids \(missing.prefix(5))",
                sourceLocation: sourceLocation)
        #expect(repeated.isEmpty, "\(repeated.count) ids answered more than once, e.g. \(repeated.prefix(5))",
                sourceLocation: sourceLocation)
        #expect(unexpected.isEmpty, "replies with ids never sent: \(unexpected.prefix(5))", sourceLocation: sourceLocation)
    }
}
