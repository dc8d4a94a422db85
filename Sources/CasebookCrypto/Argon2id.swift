internal import CSodium

/// Argon2id (libsodium `crypto_pwhash`): the vault passphrase → key-encryption key.
public enum Argon2id {
    public static let saltByteCount = 16

    /// Work parameters. Stored as numbers in the vault so that a future libsodium
    /// changing its named profiles cannot lock anyone out.
    public struct Parameters: Sendable, Hashable, Codable {
        public var opsLimit: UInt64
        public var memLimit: UInt64

        public init(opsLimit: UInt64, memLimit: UInt64) {
            self.opsLimit = opsLimit
            self.memLimit = memLimit
        }

        /// libsodium's INTERACTIVE profile (2 passes, 64 MiB).
        public static var interactive: Parameters {
            Parameters(opsLimit: UInt64(crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE), memLimit: UInt64(crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE))
        }
        /// libsodium's MODERATE profile (3 passes, 256 MiB).
        public static var moderate: Parameters {
            Parameters(opsLimit: UInt64(crypto_pwhash_argon2id_OPSLIMIT_MODERATE), memLimit: UInt64(crypto_pwhash_argon2id_MEMLIMIT_MODERATE))
        }
        /// libsodium's SENSITIVE profile (4 passes, 1 GiB).
        public static var sensitive: Parameters {
            Parameters(opsLimit: UInt64(crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE), memLimit: UInt64(crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE))
        }

        /// True when libsodium accepts these limits for Argon2id.
        public var isWithinLibraryBounds: Bool {
            opsLimit >= UInt64(crypto_pwhash_argon2id_OPSLIMIT_MIN) && opsLimit <= UInt64(crypto_pwhash_argon2id_OPSLIMIT_MAX)
                && memLimit >= UInt64(crypto_pwhash_argon2id_MEMLIMIT_MIN) && memLimit <= 4 << 30
        }
    }

    /// Derives a 32-byte key from `passphrase` and a 16-byte `salt`.
    public static func deriveKey(
        from passphrase: borrowing SecureBytes, salt: some ContiguousBytesView, parameters: Parameters
    ) throws(CryptoError) -> SymmetricKey {
        Sodium.ready()
        guard parameters.isWithinLibraryBounds else { throw .invalidParameter("Argon2id limits out of range") }
        let saltCount = salt.withBytes { $0.count }
        guard saltCount == saltByteCount else {
            throw .invalidLength(what: "Argon2id salt", expected: saltByteCount, actual: saltCount)
        }
        var key = SecureBytes(count: SymmetricKey.byteCount)
        let status: Int32 = passphrase.withUnsafeBytes { pass in
            salt.withBytes { saltBytes in
                key.withUnsafeMutableBytes { out in
                    pass.withMemoryRebound(to: CChar.self) { passChars in
                        crypto_pwhash(
                            out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(SymmetricKey.byteCount),
                            passChars.baseAddress ?? UnsafeRawPointer(address(pass)).assumingMemoryBound(to: CChar.self),
                            UInt64(pass.count), address(saltBytes),
                            parameters.opsLimit, Int(parameters.memLimit), crypto_pwhash_ALG_ARGON2ID13)
                    }
                }
            }
        }
        guard status == 0 else { throw .keyDerivationFailed }
        return try SymmetricKey(key)
    }
}
