internal import CSodium

/// Public randomness (nonces, salts, identifiers) from the system CSPRNG.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        Sodium.ready()
        var output = [UInt8](repeating: 0, count: count)
        if count > 0 { output.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) } }
        return output
    }

    /// A uniformly random integer in `0..<upperBound`.
    public static func uniform(_ upperBound: UInt32) -> UInt32 {
        Sodium.ready()
        return randombytes_uniform(upperBound)
    }
}
