/// The release of the portal worker, reported by `system.info` and `--version`.
public enum PortalVersion {
    public static let current = "0.1.0"
}
