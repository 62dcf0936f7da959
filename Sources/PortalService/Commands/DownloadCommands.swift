import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// `software.list` and `software.download`: the releases of the products a view holds licenses
/// for, and signed, expiring tokens for the vendor's download server.
enum DownloadCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("software.list", access: .feature(.softwareDownload), list)
        registry.register("software.download", access: .feature(.softwareDownload), download)
    }

    /// Releases listed per product: the newest ones.
    static let recentReleases = 5
    /// Licenses of one product read to judge entitlements; the most granting come first.
    static let licenseLimit = 1_000
    /// How long a download token is valid.
    static let tokenLifetime: TimeInterval = 3_600

    static func list(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (view, company) = try LicenseCommands.viewAndCompany(context)
        let lineFilter = try context.arguments.optionalString("product_line", maxLength: 100)
        let visibility = LicenseVisibility(view: view, company: company)
        let now = context.environment.clock.now
        return try context.environment.store.read { reader in
            let lines = try reader.productLines()
            // The line by id or by name, as license.list shows it.
            let lineIDs = lineFilter.map { filter in Set(lines.filter { $0.id == filter || $0.name == filter }.map(\.id)) }
            if let lineIDs, lineIDs.isEmpty { return JSONValue.object(["items": []]) }
            let held = try reader.downloadProductIDs(visibility: visibility, productLineIDs: lineIDs ?? [])
            let linesByID = Dictionary(uniqueKeysWithValues: lines.map { ($0.id, $0) })
            let items = try reader.products().filter { held.contains($0.id) }.map { product in
                let latest = try reader.latestReleases(productID: product.id, limit: recentReleases)
                // The licenses matter only to judge releases: a product without any needs none read.
                let licenses = latest.isEmpty
                    ? [] : try reader.downloadLicenses(visibility: visibility, productID: product.id, now: now, limit: licenseLimit)
                let releases = latest.map { release in (release, ReleaseEntitlement.judge(release, licenses: licenses, at: now)) }
                return JSONValue.object([
                    "product": ProductCommands.json(
                        product, line: linesByID[product.productLineID] ?? ProductLine(id: product.productLineID, name: "")),
                    "latest": releases.first.map { .string($0.0.id) } ?? .null,
                    "latest_entitled": releases.first { $0.1.isEntitled }.map { .string($0.0.id) } ?? .null,
                    "releases": .array(releases.map { json($0.0, entitlement: $0.1) }),
                ])
            }
            return JSONValue.object(["items": .array(items)])
        }
    }

    static func download(_ context: CommandContext) throws -> any Encodable & Sendable {
        let (view, company) = try LicenseCommands.viewAndCompany(context)
        let releaseID = try context.arguments.string("release", maxLength: 100)
        let artifactName = try context.arguments.string("artifact", maxLength: 255)
        let caller = try context.authenticatedCaller
        let visibility = LicenseVisibility(view: view, company: company)
        let now = context.environment.clock.now
        let (release, artifact, entitlement) = try context.environment.store.read { reader in
            // A release of a product the view holds no license for is simply not there.
            let notFound = PortalError(.notFound, "no release '\(releaseID)' among the products of your \(view.rawValue) view")
            guard let release = try reader.release(id: releaseID) else { throw notFound }
            let licenses = try reader.downloadLicenses(
                visibility: visibility, productID: release.productID, now: now, limit: licenseLimit)
            guard !licenses.isEmpty else { throw notFound }
            guard let artifact = release.artifacts.first(where: { $0.platform == artifactName })
                ?? release.artifacts.first(where: { $0.fileName == artifactName })
            else {
                throw PortalError(
                    .notFound,
                    "release \(release.version) has no artifact '\(artifactName)'; it has \(release.artifacts.map(\.platform).joined(separator: ", "))")
            }
            return (release, artifact, ReleaseEntitlement.judge(release, licenses: licenses, at: now))
        }
        if case .notEntitled(let reason) = entitlement {
            throw PortalError(
                .forbidden, "you may not download this release: " + reason.message(for: release),
                details: ["reason": .string(reason.code), "release": .string(release.id)])
        }
        let expiresAt = now.addingTimeInterval(tokenLifetime)
        let token = try context.environment.signer.sign([
            "iss": "enterprise-portal", "sub": .string(artifact.fileName), "release": .string(release.id),
            "product": .string(release.productID), "platform": .string(artifact.platform), "sha256": .string(artifact.sha256),
            "size": .int(artifact.size), "user": .string(caller.user.id), "company": .string(company),
            "iat": .int(now.unixSeconds), "exp": .int(expiresAt.unixSeconds),
        ])
        return JSONValue.object([
            "url": .string(path(release: release, artifact: artifact)), "token": .string(token),
            "expires_at": .string(RFC3339.string(from: expiresAt)),
        ])
    }

    /// Where the vendor's download server serves the file, relative to its address.
    static func path(release: Release, artifact: Release.Artifact) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        let encode = { (part: String) in part.addingPercentEncoding(withAllowedCharacters: allowed) ?? part }
        return "/downloads/\(encode(release.id))/\(encode(artifact.fileName))"
    }

    static func json(_ release: Release, entitlement: ReleaseEntitlement) -> JSONValue {
        guard case .object(var item) = ProductCommands.json(release) else { return .null }
        item["product"] = nil
        switch entitlement {
        case .entitled(let license, let basis):
            item["entitled"] = true
            item["granted_by"] = ["license": .string(license.id), "key": .string(license.key.text), "basis": .string(basis.rawValue)]
            item["reason"] = .null
        case .notEntitled(let reason):
            item["entitled"] = false
            item["granted_by"] = .null
            item["reason"] = ["code": .string(reason.code), "message": .string(reason.message(for: release))]
        }
        return .object(item)
    }
}
