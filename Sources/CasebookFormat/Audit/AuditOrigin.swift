
/// Origins of Casebook vault checkpoints: `casebook.example/vault/` and the vault id in hex.
public enum AuditOrigin {
    public static let prefix = "casebook.example/vault/"

    public static func origin(vaultID: [UInt8]) -> String { prefix + Hex.encode(vaultID) }

    /// True for `casebook.example/vault/` followed by exactly 32 lower-case hex digits.
    public static func isVaultOrigin(_ origin: String) -> Bool {
        guard origin.hasPrefix(prefix) else { return false }
        return Hex.isLowercase(origin.dropFirst(prefix.count), count: 32)
    }
}
