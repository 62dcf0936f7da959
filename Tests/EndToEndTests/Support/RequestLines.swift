import PortalProtocol

/// Request lines as tests send them.
enum RequestLine {
    static func ping(id: JSONValue) -> String { line(id: id, command: "system.ping") }
    static func info(id: JSONValue = "info") -> String { line(id: id, command: "system.info") }

    static func line(
        id: JSONValue, command: String, auth: String? = nil, view: String? = nil, arguments: [String: JSONValue]? = nil
    ) -> String {
        var request: [String: JSONValue] = ["v": 1, "id": id, "cmd": .string(command)]
        if let auth { request["auth"] = .string(auth) }
        if let view { request["view"] = .string(view) }
        if let arguments { request["args"] = .object(arguments) }
        return String(decoding: JSONValue.object(request).serialized(), as: UTF8.self)
    }

    /// `count` pings with ids `first`, `first + 1`, ….
    static func pings(from first: Int, count: Int) -> [String] {
        (first..<first + count).map { ping(id: .int(Int64($0))) }
    }
}

/// Reading reply lines.
extension JSONValue {
    var replyID: JSONValue? { self["id"] }
    var isOK: Bool { self["ok"] == .bool(true) }
    var result: JSONValue? { self["result"] }
    var errorCode: String? { self["error"]?["code"]?.stringValue }
    var errorMessage: String? { self["error"]?["message"]?.stringValue }

    /// The compact JSON text, for failure messages.
    var text: String { String(decoding: serialized(), as: UTF8.self) }
}
