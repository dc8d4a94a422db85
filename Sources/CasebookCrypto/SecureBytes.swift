internal import CSodium

/// Secret bytes in `sodium_malloc` memory: guarded pages, locked against swapping
/// where the system allows, and zeroed when released (`sodium_free` wipes).
/// Not copyable, so a secret has exactly one owner; its bytes are lent only
/// through a closure.
public struct SecureBytes: ~Copyable {
    private let base: UnsafeMutableRawPointer
    /// Number of secret bytes held.
    public let count: Int

    /// Zero-filled secret storage of `count` bytes.
    public init(count: Int) {
        Sodium.ready()
        precondition(count >= 0)
        // sodium_malloc(0) is allowed but returns a pointer we must still free.
        guard let pointer = sodium_malloc(max(count, 1)) else {
            fatalError("sodium_malloc failed: out of secure memory")
        }
        sodium_memzero(pointer, max(count, 1))
        base = pointer
        self.count = count
    }

    /// Secret storage initialised with a copy of `bytes`. The caller remains
    /// responsible for wiping its own copy.
    public init(copying bytes: UnsafeRawBufferPointer) {
        self.init(count: bytes.count)
        if bytes.count > 0 {
            base.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
    }

    /// Secret storage initialised from `bytes`, wiping `bytes` afterwards.
    public init(consuming bytes: inout [UInt8]) {
        self.init(count: bytes.count)
        let destination = base
        bytes.withUnsafeMutableBytes { raw in
            if let address = raw.baseAddress {
                destination.copyMemory(from: address, byteCount: raw.count)
                sodium_memzero(address, raw.count)
            }
        }
        bytes = []
    }

    /// `count` bytes from the operating system's CSPRNG.
    public static func random(count: Int) -> SecureBytes {
        let bytes = SecureBytes(count: count)
        if count > 0 { randombytes_buf(bytes.base, count) }
        return bytes
    }

    /// Lends the secret bytes for reading.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Lends the secret bytes for writing.
    public mutating func withUnsafeMutableBytes<R>(
        _ body: (UnsafeMutableRawBufferPointer) throws -> R
    ) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// A second owner of the same secret value (explicit, so copies are visible in review).
    public func duplicate() -> SecureBytes {
        SecureBytes(copying: UnsafeRawBufferPointer(start: base, count: count))
    }

    /// A new secret holding a copy of `range` of these bytes.
    public func extracting(_ range: Range<Int>) -> SecureBytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        return SecureBytes(copying: UnsafeRawBufferPointer(start: base.advanced(by: range.lowerBound), count: range.count))
    }

    /// Constant-time comparison with another secret of the same length.
    public func constantTimeEquals(_ other: borrowing SecureBytes) -> Bool {
        guard count == other.count else { return false }
        return other.withUnsafeBytes { theirs in
            sodium_memcmp(base, theirs.baseAddress!, count) == 0
        }
    }

    deinit {
        sodium_free(base)
    }
}

/// Wiping of ordinary buffers that briefly held secret bytes (parsing a key file,
/// encoding a key for output) before they go back to the allocator.
public enum Memory {
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { raw in
            if let address = raw.baseAddress { sodium_memzero(address, raw.count) }
        }
    }
}
