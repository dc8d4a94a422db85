internal import CSodium
import Dispatch
import Foundation

/// ChaCha20-Poly1305 (RFC 8439, 12-byte nonce): the cipher of age's header
/// stanzas and STREAM payload. Nonces are always explicit here; the caller's
/// construction guarantees they never repeat under one key.
public enum ChaCha20Poly1305 {
    public static let nonceByteCount = 12
    public static let tagByteCount = 16

    /// Encrypts; output is ciphertext ‖ tag.
    public static func encrypt(
        _ plaintext: some ContiguousBytesView,
        using key: borrowing SymmetricKey,
        nonce: some ContiguousBytesView,
        authenticating associatedData: some ContiguousBytesView
    ) throws(CryptoError) -> [UInt8] {
        let input: [UInt8] = plaintext.withBytes { Array($0) }
        var output = [UInt8](repeating: 0, count: input.count + tagByteCount)
        let result: Result<Void, CryptoError> = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { raw in
                Result { () throws(CryptoError) in
                    try encrypt(raw, using: key, nonce: nonce, authenticating: associatedData, into: out)
                }
            }
        }
        try result.get()
        return output
    }

    /// Encrypts `plaintext` into `output` (at least `plaintext.count + 16` bytes).
    public static func encrypt(
        _ plaintext: UnsafeRawBufferPointer,
        using key: borrowing SymmetricKey,
        nonce: some ContiguousBytesView,
        authenticating associatedData: some ContiguousBytesView,
        into output: UnsafeMutableRawBufferPointer
    ) throws(CryptoError) {
        Sodium.ready()
        let nonceCount = nonce.withBytes { $0.count }
        guard nonceCount == nonceByteCount else {
            throw .invalidLength(what: "ChaCha20-Poly1305 nonce", expected: nonceByteCount, actual: nonceCount)
        }
        guard output.count >= plaintext.count + tagByteCount else {
            throw .invalidParameter("output buffer too small")
        }
        key.withUnsafeBytes { keyBytes in
            nonce.withBytes { nonceBytes in
                associatedData.withBytes { ad in
                    var written: UInt64 = 0
                    _ = crypto_aead_chacha20poly1305_ietf_encrypt(
                        output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written,
                        address(plaintext), UInt64(plaintext.count),
                        address(ad), UInt64(ad.count),
                        nil, address(nonceBytes), address(keyBytes))
                }
            }
        }
    }

    /// One chunk of a batch for `encryptConcurrently` and `decryptConcurrently`: its input,
    /// its own nonce, and where its output goes (ciphertext ‖ tag when encrypting, plaintext
    /// when decrypting). The buffers must not overlap and must outlive the call.
    public struct Chunk: @unchecked Sendable {
        public let input: UnsafeRawBufferPointer
        public let nonce: [UInt8]
        public let output: UnsafeMutableRawBufferPointer

        public init(input: UnsafeRawBufferPointer, nonce: [UInt8], output: UnsafeMutableRawBufferPointer) {
            self.input = input
            self.nonce = nonce
            self.output = output
        }
    }

    /// Encrypts independent chunks (no associated data) on every core, for STREAM
    /// constructions, whose chunks are sealed each on its own with its own nonce.
    /// `meanwhile` runs on the calling thread while the chunks are sealed (to read the
    /// next batch, say); the call returns when both are done.
    public static func encryptConcurrently(
        _ chunks: [Chunk], using key: borrowing SymmetricKey, meanwhile: () -> Void = {}
    ) throws(CryptoError) {
        for chunk in chunks {
            guard chunk.output.count >= chunk.input.count + tagByteCount else { throw .invalidParameter("output buffer too small") }
        }
        _ = try concurrently(chunks, using: key, meanwhile: meanwhile) { chunk, key in
            var written: UInt64 = 0
            chunk.nonce.withUnsafeBytes { nonce in
                _ = crypto_aead_chacha20poly1305_ietf_encrypt(
                    chunk.output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written,
                    address(chunk.input), UInt64(chunk.input.count), nil, 0, nil, address(nonce), address(key))
            }
            return Int(written)
        }
    }

    /// Decrypts independent chunks (ciphertext ‖ tag, no associated data) on every core.
    /// Returns each chunk's plaintext length, or nil for a chunk that does not authenticate
    /// (its output is then zeroed): the caller decides what a failure means in order.
    public static func decryptConcurrently(_ chunks: [Chunk], using key: borrowing SymmetricKey) throws(CryptoError) -> [Int?] {
        for chunk in chunks {
            guard chunk.output.count >= max(0, chunk.input.count - tagByteCount) else { throw .invalidParameter("output buffer too small") }
        }
        return try concurrently(chunks, using: key, meanwhile: {}) { chunk, key in
            guard chunk.input.count >= tagByteCount else { return nil }
            var written: UInt64 = 0
            let status = chunk.nonce.withUnsafeBytes { nonce in
                crypto_aead_chacha20poly1305_ietf_decrypt(
                    chunk.output.baseAddress?.assumingMemoryBound(to: UInt8.self), &written, nil,
                    address(chunk.input), UInt64(chunk.input.count), nil, 0, address(nonce), address(key))
            }
            guard status == 0 else {
                if chunk.output.count > 0 { sodium_memzero(chunk.output.baseAddress, chunk.output.count) }
                return nil
            }
            return Int(written)
        }
    }

    /// Runs `work` on every chunk, spread over one worker per core, with the key's bytes.
    private static func concurrently(
        _ chunks: [Chunk], using key: borrowing SymmetricKey, meanwhile: () -> Void,
        _ work: @escaping @Sendable (Chunk, UnsafeRawBufferPointer) -> Int?
    ) throws(CryptoError) -> [Int?] {
        Sodium.ready()
        for chunk in chunks where chunk.nonce.count != nonceByteCount {
            throw .invalidLength(what: "ChaCha20-Poly1305 nonce", expected: nonceByteCount, actual: chunk.nonce.count)
        }
        let results = Results(count: chunks.count)
        key.withUnsafeBytes { keyBytes in
            let shared = SharedKey(bytes: keyBytes)
            let workers = min(chunks.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
            let group = DispatchGroup()
            for worker in 0..<workers {
                DispatchQueue.global(qos: .userInitiated).async(group: group) {
                    for index in stride(from: worker, to: chunks.count, by: workers) {
                        results.set(index, work(chunks[index], shared.bytes))
                    }
                }
            }
            meanwhile()
            // The key's bytes are lent only inside this closure: wait for every worker.
            group.wait()
        }
        return results.values
    }

    /// Per-chunk results, each slot written by exactly one worker before `group.wait()` returns.
    private final class Results: @unchecked Sendable {
        private var storage: UnsafeMutableBufferPointer<Int?>
        init(count: Int) {
            storage = .allocate(capacity: count)
            storage.initialize(repeating: nil)
        }
        deinit { storage.deallocate() }
        func set(_ index: Int, _ value: Int?) { storage[index] = value }
        var values: [Int?] { Array(storage) }
    }

    /// The key's bytes lent to the workers of one `encryptConcurrently` call, which only read them.
    private struct SharedKey: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
    }

    /// Decrypts `ciphertext ‖ tag`; throws `.authenticationFailed` on any mismatch.
    public static func decrypt(
        _ ciphertextAndTag: some ContiguousBytesView,
        using key: borrowing SymmetricKey,
        nonce: some ContiguousBytesView,
        authenticating associatedData: some ContiguousBytesView
    ) throws(CryptoError) -> [UInt8] {
        let input: [UInt8] = ciphertextAndTag.withBytes { Array($0) }
        guard input.count >= tagByteCount else { throw .authenticationFailed }
        var output = [UInt8](repeating: 0, count: input.count - tagByteCount)
        let result: Result<Int, CryptoError> = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { raw in
                Result { () throws(CryptoError) in
                    try decrypt(raw, using: key, nonce: nonce, authenticating: associatedData, into: out)
                }
            }
        }
        _ = try result.get()
        return output
    }

    /// Decrypts into `output` (at least `ciphertextAndTag.count - 16` bytes); returns the plaintext length.
    public static func decrypt(
        _ ciphertextAndTag: UnsafeRawBufferPointer,
        using key: borrowing SymmetricKey,
        nonce: some ContiguousBytesView,
        authenticating associatedData: some ContiguousBytesView,
        into output: UnsafeMutableRawBufferPointer
    ) throws(CryptoError) -> Int {
        Sodium.ready()
        let nonceCount = nonce.withBytes { $0.count }
        guard nonceCount == nonceByteCount else {
            throw .invalidLength(what: "ChaCha20-Poly1305 nonce", expected: nonceByteCount, actual: nonceCount)
        }
        guard ciphertextAndTag.count >= tagByteCount else { throw .authenticationFailed }
        let plainCount = ciphertextAndTag.count - tagByteCount
        guard output.count >= plainCount else { throw .invalidParameter("output buffer too small") }
        let status: Int32 = key.withUnsafeBytes { keyBytes in
            nonce.withBytes { nonceBytes in
                associatedData.withBytes { ad in
                    var written: UInt64 = 0
                    return crypto_aead_chacha20poly1305_ietf_decrypt(
                        output.baseAddress?.assumingMemoryBound(to: UInt8.self), &written, nil,
                        address(ciphertextAndTag), UInt64(ciphertextAndTag.count),
                        address(ad), UInt64(ad.count),
                        address(nonceBytes), address(keyBytes))
                }
            }
        }
        guard status == 0 else { throw .authenticationFailed }
        return plainCount
    }
}
