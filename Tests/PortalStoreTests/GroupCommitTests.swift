import Dispatch
import Foundation
import PortalCore
import PortalStore
import Synchronization
import Testing

/// Group commit: writes of many threads share commits, each still all or nothing on its own, and
/// a writer returns only once its changes are committed.
@Suite struct GroupCommitTests {
    struct Refused: Error, Equatable {
        let index: Int
    }

    /// 8 threads × 40 writes, every seventh throwing after its insert: the others' rows are all
    /// there, each thrower's are not, and every writer got its own result or error.
    @Test func aFailingWriteRollsBackAloneInsideItsBatch() throws {
        let fixture = try StoreFixture()
        let outcomes = Mutex<[Int: Result<String, Refused>]>([:])
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for step in 0..<40 {
                let index = thread * 40 + step
                let outcome = Result { () throws(Refused) -> String in
                    do {
                        return try fixture.store.write { writer in
                            try writer.insert(fixture.company("co_\(index)"))
                            if index % 7 == 0 { throw Refused(index: index) }
                            return "co_\(index)"
                        }
                    } catch let refused as Refused {
                        throw refused
                    } catch {
                        Issue.record("write \(index): \(error)")
                        throw Refused(index: -1)
                    }
                }
                outcomes.withLock { $0[index] = outcome }
            }
        }
        let results = outcomes.withLock { $0 }
        #expect(results.count == 320)
        let stored = Set(try fixture.store.read { try $0.companies(after: nil, limit: 1_000) }.map(\.id))
        for (index, outcome) in results {
            switch outcome {
            case .success(let id):
                #expect(id == "co_\(index)" && index % 7 != 0)
                #expect(stored.contains(id), "acknowledged write \(index) is missing")
            case .failure(let refused):
                #expect(refused == Refused(index: index) && index % 7 == 0)
                #expect(!stored.contains("co_\(index)"), "refused write \(index) left its row")
            }
        }
    }

    /// A write that breaks a constraint inside a batch gets the database's error; the batch's
    /// other writes commit.
    @Test func aConstraintViolationFailsOnlyItsWrite() throws {
        let fixture = try StoreFixture()
        try fixture.store.write { try $0.insert(fixture.company("co_taken")) }
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            do {
                try fixture.store.write { writer in
                    try writer.insert(fixture.company(index == 5 ? "co_taken" : "co_new_\(index)"))
                }
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 1)
        let names = try fixture.store.read { reader in try reader.companies(after: nil, limit: 100).map(\.id) }
        #expect(Set(names) == Set(["co_taken"] + (0..<16).filter { $0 != 5 }.map { "co_new_\($0)" }))
    }

    /// Switched off, writes commit one by one with the same results.
    @Test func withoutGroupCommitWritesCommitOnTheirOwn() throws {
        let fixture = try StoreFixture()
        let store = try SQLiteStore(path: fixture.path, commits: .separate)
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            _ = try? store.write { writer in try writer.insert(fixture.company("co_\(index)")) }
        }
        #expect(try fixture.store.read { try $0.companies(after: nil, limit: 100).count } == 8)
    }
}
