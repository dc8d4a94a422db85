import CasebookCrypto
import Testing

@Suite("AEAD")
struct AEADTests {
    let plaintext = Array("The quick brown fox jumps over the lazy dog".utf8)
    let ad = Array("record:42".utf8)

    @Test func xChaChaSealOpenRoundTrip() throws {
        let key = SymmetricKey()
        let sealed = XChaCha20Poly1305.seal(plaintext, using: key, authenticating: ad)
        #expect(sealed.count == plaintext.count + XChaCha20Poly1305.nonceByteCount + XChaCha20Poly1305.tagByteCount)
        let opened = try XChaCha20Poly1305.open(sealed, using: key, authenticating: ad)
        #expect(opened == plaintext)
        // Fresh random nonce each time.
        let again = XChaCha20Poly1305.seal(plaintext, using: key, authenticating: ad)
        #expect(again != sealed)
        #expect(try XChaCha20Poly1305.open(again, using: key, authenticating: ad) == plaintext)
        // seal = nonce ‖ encrypt(nonce).
        let nonce = Array(sealed.prefix(XChaCha20Poly1305.nonceByteCount))
        let explicit = try XChaCha20Poly1305.encrypt(plaintext, using: key, nonce: nonce, authenticating: ad)
        #expect(nonce + explicit == sealed)
    }

    @Test func xChaChaEmptyPlaintextAndAD() throws {
        let key = SymmetricKey()
        let sealed = XChaCha20Poly1305.seal([UInt8](), using: key, authenticating: [UInt8]())
        #expect(sealed.count == 40)
        #expect(try XChaCha20Poly1305.open(sealed, using: key, authenticating: [UInt8]()) == [])
    }

    @Test func xChaChaAlteredCiphertextFails() throws {
        let key = SymmetricKey()
        let sealed = XChaCha20Poly1305.seal(plaintext, using: key, authenticating: ad)
        // Flip one bit in the nonce, the ciphertext body and the tag, in turn.
        for index in [0, 23, 24, sealed.count / 2, sealed.count - 17, sealed.count - 1] {
            var altered = sealed
            altered[index] ^= 0x01
            let error = thrownError { try XChaCha20Poly1305.open(altered, using: key, authenticating: ad) }
            #expect(error == .authenticationFailed, "byte \(index)")
        }
    }

    @Test func xChaChaAlteredADFails() {
        let key = SymmetricKey()
        let sealed = XChaCha20Poly1305.seal(plaintext, using: key, authenticating: ad)
        for otherAD in [Array("record:43".utf8), [], ad + [0]] {
            let error = thrownError { try XChaCha20Poly1305.open(sealed, using: key, authenticating: otherAD) }
            #expect(error == .authenticationFailed)
        }
    }

    @Test func xChaChaWrongKeyFails() {
        let key = SymmetricKey(), other = SymmetricKey()
        let sealed = XChaCha20Poly1305.seal(plaintext, using: key, authenticating: ad)
        let error = thrownError { try XChaCha20Poly1305.open(sealed, using: other, authenticating: ad) }
        #expect(error == .authenticationFailed)
    }

    @Test func xChaChaTruncatedInputFails() {
        let key = SymmetricKey()
        let sealed = XChaCha20Poly1305.seal(plaintext, using: key, authenticating: ad)
        for length in [0, 1, 23, 24, 39, sealed.count - 1] {
            let truncated = Array(sealed.prefix(length))
            let error = thrownError { try XChaCha20Poly1305.open(truncated, using: key, authenticating: ad) }
            #expect(error == .authenticationFailed, "length \(length)")
        }
        // Dropping the front (nonce) bytes fails too.
        let error = thrownError { try XChaCha20Poly1305.open(sealed.dropFirst(), using: key, authenticating: ad) }
        #expect(error == .authenticationFailed)
    }

    @Test func xChaChaOpenIntoBuffer() throws {
        let key = SymmetricKey()
        let sealed = XChaCha20Poly1305.seal(plaintext, using: key, authenticating: ad)
        // Exact-size SecureBytes scratch buffer.
        var scratch = SecureBytes(count: plaintext.count)
        let count = try scratch.withUnsafeMutableBytes { out in
            try XChaCha20Poly1305.open(sealed, using: key, authenticating: ad, into: out)
        }
        #expect(count == plaintext.count)
        #expect(contents(of: scratch) == plaintext)

        // A larger buffer: only the first `count` bytes are written.
        var large = [UInt8](repeating: 0xee, count: plaintext.count + 10)
        let written = try large.withUnsafeMutableBytes { out in
            try XChaCha20Poly1305.open(sealed, using: key, authenticating: ad, into: out)
        }
        #expect(written == plaintext.count)
        #expect(Array(large.prefix(written)) == plaintext)
        #expect(large.suffix(10).allSatisfy { $0 == 0xee })

        // Too small: refused before decrypting.
        var small = [UInt8](repeating: 0, count: plaintext.count - 1)
        let smallError = thrownError {
            try small.withUnsafeMutableBytes { out in
                try XChaCha20Poly1305.open(sealed, using: key, authenticating: ad, into: out)
            }
        }
        #expect(smallError == .invalidParameter("output buffer too small"))

        // Tampered input through the buffer variant.
        var tampered = sealed
        tampered[30] ^= 0x80
        var scratch2 = SecureBytes(count: plaintext.count)
        let tamperedError = thrownError {
            try scratch2.withUnsafeMutableBytes { out in
                try XChaCha20Poly1305.open(tampered, using: key, authenticating: ad, into: out)
            }
        }
        #expect(tamperedError == .authenticationFailed)

        // Empty plaintext into an empty buffer.
        let emptySealed = XChaCha20Poly1305.seal([UInt8](), using: key, authenticating: ad)
        var none = SecureBytes(count: 0)
        let zero = try none.withUnsafeMutableBytes { out in
            try XChaCha20Poly1305.open(emptySealed, using: key, authenticating: ad, into: out)
        }
        #expect(zero == 0)
    }

    @Test(arguments: [0, 12, 23, 25, 32])
    func xChaChaRejectsWrongNonceSize(count: Int) {
        let key = SymmetricKey()
        let nonce = [UInt8](repeating: 1, count: count)
        let expected = CryptoError.invalidLength(what: "XChaCha20-Poly1305 nonce", expected: 24, actual: count)
        let encryptError = thrownError { try XChaCha20Poly1305.encrypt(plaintext, using: key, nonce: nonce, authenticating: ad) }
        let decryptError = thrownError {
            try XChaCha20Poly1305.decrypt([UInt8](repeating: 0, count: 40), using: key, nonce: nonce, authenticating: ad)
        }
        #expect(encryptError == expected)
        #expect(decryptError == expected)
    }

    @Test func chaChaRoundTripAndFailures() throws {
        let key = SymmetricKey()
        let nonce = SecureRandom.bytes(ChaCha20Poly1305.nonceByteCount)
        let sealed = try ChaCha20Poly1305.encrypt(plaintext, using: key, nonce: nonce, authenticating: ad)
        #expect(sealed.count == plaintext.count + 16)
        #expect(try ChaCha20Poly1305.decrypt(sealed, using: key, nonce: nonce, authenticating: ad) == plaintext)

        var altered = sealed
        altered[0] ^= 1
        #expect(thrownError { try ChaCha20Poly1305.decrypt(altered, using: key, nonce: nonce, authenticating: ad) } == .authenticationFailed)
        #expect(thrownError { try ChaCha20Poly1305.decrypt(sealed, using: key, nonce: nonce, authenticating: [UInt8]()) } == .authenticationFailed)
        var otherNonce = nonce
        otherNonce[11] ^= 1
        #expect(thrownError { try ChaCha20Poly1305.decrypt(sealed, using: key, nonce: otherNonce, authenticating: ad) } == .authenticationFailed)
        #expect(thrownError { try ChaCha20Poly1305.decrypt(Array(sealed.prefix(15)), using: key, nonce: nonce, authenticating: ad) } == .authenticationFailed)
        let wrongNonce = [UInt8](repeating: 0, count: 24)
        #expect(thrownError { try ChaCha20Poly1305.decrypt(sealed, using: key, nonce: wrongNonce, authenticating: ad) }
            == .invalidLength(what: "ChaCha20-Poly1305 nonce", expected: 12, actual: 24))
        #expect(thrownError { try ChaCha20Poly1305.encrypt(plaintext, using: key, nonce: wrongNonce, authenticating: ad) }
            == .invalidLength(what: "ChaCha20-Poly1305 nonce", expected: 12, actual: 24))
    }

    @Test func chaChaBufferVariants() throws {
        let key = SymmetricKey()
        let nonce = SecureRandom.bytes(12)
        var sealed = [UInt8](repeating: 0, count: plaintext.count + 16)
        try plaintext.withUnsafeBytes { input in
            try sealed.withUnsafeMutableBytes { out in
                try ChaCha20Poly1305.encrypt(input, using: key, nonce: nonce, authenticating: ad, into: out)
            }
        }
        #expect(try ChaCha20Poly1305.encrypt(plaintext, using: key, nonce: nonce, authenticating: ad) == sealed)

        var opened = SecureBytes(count: plaintext.count)
        let count = try sealed.withUnsafeBytes { input in
            try opened.withUnsafeMutableBytes { out in
                try ChaCha20Poly1305.decrypt(input, using: key, nonce: nonce, authenticating: ad, into: out)
            }
        }
        #expect(count == plaintext.count)
        #expect(contents(of: opened) == plaintext)

        var tooSmall = [UInt8](repeating: 0, count: plaintext.count + 15)
        let error = thrownError {
            try plaintext.withUnsafeBytes { input in
                try tooSmall.withUnsafeMutableBytes { out in
                    try ChaCha20Poly1305.encrypt(input, using: key, nonce: nonce, authenticating: ad, into: out)
                }
            }
        }
        #expect(error == .invalidParameter("output buffer too small"))
    }
}
