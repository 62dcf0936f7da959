/// A product line ("ThinPrint", "Personal Printing") and a product within it.
public struct ProductLine: Sendable, Equatable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

public struct Product: Sendable, Equatable {
    public var id: String
    public var productLineID: String
    public var name: String

    public init(id: String, productLineID: String, name: String) {
        self.id = id
        self.productLineID = productLineID
        self.name = name
    }
}
