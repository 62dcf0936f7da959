@testable import PortalBench
import Testing

@Suite struct EchoServerTests {
    @Test func everyLineGetsAnEmptySuccessWithItsIDAndTheEnvelopeIsMirrored() throws {
        let payload = Array("{\"id\":1,\"cmd\":\"a\"}\n\n{\"cmd\":\"b\"}\n{\"id\":\"x\",\"cmd\":\"c\"}".utf8)
        let reply = try #require(EchoServer.reply(to: [[9, 9], [1], [], payload]))
        #expect(reply.dropLast() == [[9, 9], [1], []])
        #expect(String(decoding: reply.last!, as: UTF8.self) == """
            {"id":1,"ok":true,"result":{}}
            {"id":null,"ok":true,"result":{}}
            {"id":"x","ok":true,"result":{}}

            """)
        #expect(EchoServer.reply(to: [[9, 9]]) == nil)
    }
}
