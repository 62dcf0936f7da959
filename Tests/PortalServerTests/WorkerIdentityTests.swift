@testable import PortalServer
import Testing

@Suite struct WorkerIdentityTests {
    @Test(arguments: [0, 1, 255, 256, 1_023, 0xFFFF])
    func numberRoundTrips(number: Int) {
        let id = WorkerIdentity.routingID(number: number)
        #expect(id.first != 0, "ZeroMQ reserves routing ids that start with a zero byte")
        #expect(WorkerIdentity.number(of: id) == number)
    }

    @Test func otherIdsHaveNoNumber() {
        for id in [[], Array("portal-worker-1".utf8), [UInt8(ascii: "W"), 0], [UInt8(ascii: "X"), 0, 1]] {
            #expect(WorkerIdentity.number(of: id) == nil)
        }
    }
}
