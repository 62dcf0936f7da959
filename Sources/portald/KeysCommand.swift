import ArgumentParser
import CommandLineSupport
import Foundation
import PortalCore
import PortalServer
import PortalService

/// `portald keys`: the keys that sign activation certificates and download tokens.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the keys that sign activation certificates and download tokens.",
        discussion: """
            What the portal signs is a JWS (RFC 7515) with Ed25519 (alg EdDSA); anyone verifies it \
            offline with the public keys that the command system.keys returns. The newest key \
            signs; older keys stay so that what they signed keeps verifying. Each key is one file, \
            mode 0600, in the key folder (created with mode 0700): never in the database or its \
            backups, so back the folder up on its own. portald serve reads the keys when it starts: \
            restart it after generate or rotate. Run these commands as the user portald runs as.
            """,
        subcommands: [Generate.self, Rotate.self, List.self]
    )

    /// Where the keys are: the flag, else `PORTAL_KEYS_DIR`, else the server's default.
    struct Folder: ParsableArguments {
        @Option(help: ArgumentHelp("Folder of the signing keys (env: PORTAL_KEYS_DIR). Default: var/keys", valueName: "path"))
        var keysDir: String?

        var path: String {
            keysDir ?? ProcessInfo.processInfo.environment["PORTAL_KEYS_DIR"] ?? ServerConfiguration().keysDirectory
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the first signing key; refuses when the folder has keys already.",
            discussion: "Creates the folder (mode 0700) when missing. Example: portald keys generate --keys-dir /var/lib/portal/keys"
        )

        @OptionGroup var folder: Folder

        func run() throws {
            let key = try perform { () throws(KeyRingError) in try KeyRing.generate(in: folder.path, now: SystemWallClock().now) }
            print("generated signing key \(key.id) in \(key.path)")
            print("it signs once portald (re)starts; back up \(folder.path) separately from the database")
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a new signing key; the older keys keep verifying what they signed.",
            discussion: """
                The new key signs once portald restarts; system.keys lists it next to the older \
                ones from then on. Remove an old key's file only when nothing it signed is still \
                in use. Refuses a folder without keys (use generate for the first).
                """
        )

        @OptionGroup var folder: Folder

        func run() throws {
            let key = try perform { () throws(KeyRingError) in try KeyRing.rotate(in: folder.path, now: SystemWallClock().now) }
            print("added signing key \(key.id) in \(key.path)")
            print("it signs once portald restarts; the older keys keep verifying")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the signing keys (kid, creation time, which one signs); never the secrets.",
            discussion: "With --jwks, prints the public keys as a JWK Set instead, as system.keys returns them."
        )

        @OptionGroup var folder: Folder

        @Flag(help: "Print the public keys as a JWK Set (JSON).")
        var jwks = false

        func run() throws {
            let ring = try perform { () throws(KeyRingError) in try KeyRing.load(folder: folder.path) }
            if jwks {
                print(String(decoding: ring.jsonWebKeySet.json.serialized(), as: UTF8.self))
                return
            }
            guard let active = ring.activeKey else {
                print("no signing keys in \(folder.path); portald keys generate creates the first")
                return
            }
            let width = max(3, ring.keys.map(\.id.count).max() ?? 0)
            print("KID".padding(toLength: width, withPad: " ", startingAt: 0) + "  CREATED               USE")
            for key in ring.keys.reversed() {
                let use = key.id == active.id ? "signs and verifies" : "verifies"
                print("\(key.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(RFC3339.string(from: key.createdAt))  \(use)")
            }
        }
    }
}

/// Runs a key ring operation, turning its error into the tool's one-line failure.
private func perform<T>(_ operation: () throws(KeyRingError) -> T) throws -> T {
    do {
        return try operation()
    } catch {
        throw CommandFailure(error.message)
    }
}
