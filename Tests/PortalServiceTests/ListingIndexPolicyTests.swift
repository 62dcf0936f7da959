@testable import PortalService
import Testing

/// When `portald import` rebuilds the license listing indexes rather than keeping them.
@Suite struct ListingIndexPolicyTests {
    private let megabyte = 1 << 20

    @Test func autoRebuildsWhenTheFileBringsAtLeastTheLicensesHeld() {
        let rows = { (bytes: Int) in bytes / ListingIndexPolicy.licenseRowBytes }
        #expect(ListingIndexPolicy.auto.rebuilds(fileSize: 1_000, licensesHeld: 0), "an empty database")
        #expect(ListingIndexPolicy.auto.rebuilds(fileSize: 300 * megabyte, licensesHeld: rows(300 * megabyte)))
        #expect(!ListingIndexPolicy.auto.rebuilds(fileSize: 30 * megabyte, licensesHeld: 1_000_000), "a tenth more")
        #expect(ListingIndexPolicy.auto.rebuilds(fileSize: nil, licensesHeld: 0), "a pipe into an empty database")
        #expect(!ListingIndexPolicy.auto.rebuilds(fileSize: nil, licensesHeld: 1), "a pipe: its size is unknown")
    }

    @Test func keepAndRebuildAreFollowedWhateverTheSizes() {
        #expect(!ListingIndexPolicy.keep.rebuilds(fileSize: 300 * megabyte, licensesHeld: 0))
        #expect(ListingIndexPolicy.rebuild.rebuilds(fileSize: nil, licensesHeld: 1_000_000))
    }
}
