/// The indexes on `licenses` that serve listings and the scheduler, as the migrations create
/// them: the one list that a large import drops and builds again, and that opening a store
/// restores when an interrupted import left them dropped.
///
/// A new license goes into each of them at a random place, so a large import that keeps them
/// rewrites most of their pages in every transaction; building them once at its end, from rows
/// read in order, costs a fraction of that. The unique indexes (id, key, order line) are not
/// among them: an import needs those to find the rows it imported before. A test compares this
/// list with what the migrations create, so that a migration changing these indexes cannot
/// leave it behind.
enum LicenseIndexes {
    /// An index's name and what follows the name in its `CREATE INDEX` statement.
    struct Definition: Sendable {
        let name: String
        let body: String

        /// The statement that creates the index unless it exists.
        var createIfMissing: String { "CREATE INDEX IF NOT EXISTS \(name) \(body)" }
    }

    static let all: [Definition] = [
        Definition(name: "licenses_owner", body: "ON licenses (owner_id, service_end, id)"),
        Definition(name: "licenses_integrator", body: "ON licenses (integrator_id, service_end, id) WHERE integrator_id IS NOT NULL"),
        Definition(name: "licenses_reseller", body: "ON licenses (reseller_id, service_end, id) WHERE reseller_id IS NOT NULL"),
        Definition(name: "licenses_distributor", body: "ON licenses (distributor_id, service_end, id) WHERE distributor_id IS NOT NULL"),
        Definition(name: "licenses_partner", body: "ON licenses (partner_id, service_end, id) WHERE partner_id IS NOT NULL"),
        Definition(name: "licenses_runtime_end", body: "ON licenses (runtime_end) WHERE destroyed_at IS NULL"),
        Definition(name: "licenses_service_end", body: "ON licenses (service_end) WHERE destroyed_at IS NULL"),
        Definition(name: "licenses_parent", body: "ON licenses (parent_id) WHERE parent_id IS NOT NULL"),
        Definition(
            name: "licenses_test_phase",
            body: "ON licenses (order_date) WHERE model = 'alm' AND activation_state = 'none' AND destroyed_at IS NULL"),
    ]
}
