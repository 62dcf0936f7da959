@testable import PortalService
import Testing

@Suite struct ProcessMemoryTests {
    @Test func readsResidentAndPeakFromProcStatus() {
        let status = "Name:\tportald\nVmPeak:\t  812340 kB\nVmHWM:\t   53124 kB\nVmRSS:\t   48200 kB\nThreads:\t6\n"
        let memory = ProcessMemory(status: status)
        #expect(memory?.residentBytes == Int64(48_200 * 1_024))
        #expect(memory?.peakResidentBytes == Int64(53_124 * 1_024))
    }

    @Test func refusesATextWithoutTheFigures() {
        #expect(ProcessMemory(status: "Name:\tportald\n") == nil)
        #expect(ProcessMemory(status: "VmHWM:\t1 MB\nVmRSS:\t1 kB\n") == nil)
    }

    #if os(Linux)
    @Test func thisProcessHasMemory() throws {
        let memory = try #require(ProcessMemory.current())
        #expect(memory.residentBytes > 0)
        #expect(memory.peakResidentBytes >= memory.residentBytes)
    }
    #endif
}
