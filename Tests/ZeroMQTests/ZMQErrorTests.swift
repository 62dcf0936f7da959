import CZeroMQ
import Glibc
import Testing
import ZeroMQ

@Suite struct ZMQErrorTests {
    @Test func classifiesErrno() {
        #expect(ZMQError(code: EAGAIN, operation: "send").wouldBlock)
        #expect(ZMQError(code: EHOSTUNREACH, operation: "send").peerUnreachable)
        #expect(ZMQError(code: ETERM, operation: "send").contextTerminated)
        let other = ZMQError(code: EINVAL, operation: "bind x")
        #expect(!other.wouldBlock && !other.peerUnreachable && !other.contextTerminated)
    }

    @Test func describesOperationAndReason() {
        let error = ZMQError(code: EADDRINUSE, operation: "bind tcp://127.0.0.1:5555")
        #expect(error.reason == "Address already in use")
        #expect(error.description == "bind tcp://127.0.0.1:5555: Address already in use")
        #expect(ZMQError(code: ETERM, operation: "x").reason == "Context was terminated")
    }
}
