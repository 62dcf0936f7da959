import Foundation
import GRDB
import Synchronization
@testable import PortalStore
import Testing

/// The license change number as this process knows it: its own commits make theirs known before
/// their writers return, whichever way they commit; other processes' are read from the file once
/// the last read is the reread interval old.
@Suite struct LicenseChangeNumberTests {
    @Test(arguments: [SQLiteStore.Commits.grouped, .separate, .groupedSyncedLater])
    func aCommitOfThisProcessIsKnownAtOnce(commits: SQLiteStore.Commits) throws {
        let fixture = try StoreFixture()
        let store = try SQLiteStore(path: fixture.path + "-\(commits)", commits: commits)
        try store.write { writer in try LicenseRows.insert(count: 1, into: writer) }
        let inFile = { try store.pool.read(LicenseChangeNumber.read) }
        let before = try inFile()
        try store.write { writer in try writer.update(fixture.company(LicenseRows.owner, name: "Renamed")) }
        #expect(try inFile() == before + 1)
        #expect(store.licenseChanges.knownNumber == before + 1)
        try store.writeWithoutReferenceChecks { writer in
            try writer.update(fixture.company(LicenseRows.owner, name: "Renamed again"))
        }
        #expect(try inFile() == before + 2)
        #expect(store.licenseChanges.knownNumber == before + 2)
        // A write that throws is rolled back: its change is neither in the file nor known.
        #expect(throws: StoreError.self) {
            try store.write { writer in
                try writer.update(fixture.company(LicenseRows.owner, name: "Never"))
                throw StoreError("rolled back")
            }
        }
        #expect(try inFile() == before + 2)
        #expect(store.licenseChanges.knownNumber == before + 2)
    }

    @Test func concurrentWritersEachFindTheirCommitKnownWhenTheirWriteReturns() throws {
        // Writes of several threads share commits: each must find the number its own change
        // left (read in its savepoint, so at most the batch's) known once its write returned.
        let fixture = try StoreFixture()
        let store = fixture.store
        try store.write { writer in try LicenseRows.insert(count: 1, into: writer) }
        let behind = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for write in 0..<25 {
                do {
                    let left = try store.write { writer in
                        try writer.update(fixture.company(LicenseRows.owner, name: "Owner \(thread)-\(write)"))
                        return try LicenseChangeNumber.read(in: try #require(writer as? SQLiteTransaction).db)
                    }
                    let known = try store.licenseChangeNumber() ?? 0
                    if known < left { behind.withLock { $0.append("\(thread)-\(write): \(known) < \(left)") } }
                } catch {
                    behind.withLock { $0.append("\(thread)-\(write): \(error)") }
                }
            }
        }
        #expect(behind.withLock { $0 } == [])
        #expect(try store.pool.read(LicenseChangeNumber.read) == store.licenseChanges.knownNumber)
    }

    @Test func anotherProcessCommitIsKnownAfterTheRereadInterval() throws {
        let fixture = try StoreFixture()
        try fixture.store.write { writer in try LicenseRows.insert(count: 1, into: writer) }
        let before = try #require(try fixture.store.licenseChangeNumber())
        // Another store on the same file stands for another process.
        let other = try SQLiteStore(path: fixture.path)
        try other.write { writer in try writer.update(fixture.company(LicenseRows.owner, name: "Owner by another")) }
        Thread.sleep(forTimeInterval: Double(LicenseChangeNumber.rereadInterval / .milliseconds(1)) / 1_000)
        #expect(try fixture.store.licenseChangeNumber() == before + 1)
    }

    @Test func theFileIsReadOncePerInterval() throws {
        let number = LicenseChangeNumber(rereadInterval: .seconds(3_600))
        var reads: UInt64 = 0
        let read = { reads += 1; return 10 * reads }
        #expect(try number.current(reading: read) == 10)
        #expect(try number.current(reading: read) == 10)
        number.committed(15)
        #expect(try number.current(reading: read) == 15)
        #expect(reads == 1)
        // A commit whose number could not be read has the next caller read the file, and only
        // the next: that read began after the commit.
        number.committed(nil)
        #expect(try number.current(reading: read) == 20)
        #expect(try number.current(reading: read) == 20)
        #expect(reads == 2)
    }

    @Test func aCommitOfUnknownNumberHasEveryCallerReadUntilOneReadCoversIt() throws {
        let number = LicenseChangeNumber(rereadInterval: .seconds(3_600))
        #expect(try number.current { 5 } == 5)
        number.committed(nil)
        // A failed read covers nothing, and the number as known is not taken meanwhile.
        #expect(throws: StoreError.self) { try number.current { throw StoreError("busy") } }
        #expect(try number.current { 6 } == 6)
        #expect(try number.current { 99 } == 6)
    }

    @Test func aFailedReadIsTriedAgainByTheNextCaller() throws {
        let number = LicenseChangeNumber(rereadInterval: .seconds(3_600))
        #expect(throws: StoreError.self) { try number.current { throw StoreError("busy") } }
        #expect(try number.current { 7 } == 7)
    }

    @Test func theNumberNeverGoesBack() throws {
        // A read that began before a commit of this process may end after it with less.
        let number = LicenseChangeNumber(rereadInterval: .zero)
        number.committed(30)
        #expect(try number.current { 25 } == 30)
        #expect(try number.current { 31 } == 31)
    }
}
