import CasebookCrypto
import Foundation
import Testing

/// Every vector of each Wycheproof file is run through the CasebookCrypto wrappers.
/// Sources: Vectors/wycheproof/SOURCE_COMMIT (Apache-2.0, see LICENSE there).
@Suite("Wycheproof")
struct WycheproofTests {
    // MARK: X25519

    struct XDHGroup: Decodable {
        let curve: String
        let tests: [XDHTest]
    }

    struct XDHTest: Decodable {
        let tcId: Int
        let comment: String
        let flags: [String]
        let `public`: String
        let `private`: String
        let shared: String
        let result: String
    }

    @Test func x25519() throws {
        let file = try Vectors.load("x25519_test.json", groups: XDHGroup.self)
        var tally = VectorTally("x25519")
        var zeroSharedRejected = 0
        for group in file.testGroups {
            #expect(group.curve == "curve25519")
            for test in group.tests {
                let expected = hex(test.shared)
                let publicBytes = hex(test.public)
                let privateBytes = hex(test.private)
                // nil = our wrappers refused (bad key size, low-order point, zero secret).
                var computed: [UInt8]?
                var rejection: CryptoError?
                do throws(CryptoError) {
                    let peer = try X25519.PublicKey(rawRepresentation: publicBytes)
                    let ours = try X25519.PrivateKey(rawRepresentation: secure(privateBytes))
                    let shared = try ours.sharedSecret(with: peer)
                    computed = contents(of: shared)
                } catch {
                    rejection = error
                }
                let expectsZeroSecret = !expected.isEmpty && expected.allSatisfy { $0 == 0 }
                switch test.result {
                case "valid":
                    if computed == expected {
                        tally.pass(test.result)
                    } else {
                        tally.mismatch(test.tcId, test.result, "got \(computed.map(hexString) ?? "error \(String(describing: rejection))"), expected \(test.shared) [\(test.comment)]")
                    }
                case "acceptable":
                    if expectsZeroSecret {
                        // A low-order peer point gives the all-zero secret: we must refuse it.
                        if rejection == .invalidPublicKey {
                            tally.pass(test.result)
                            zeroSharedRejected += 1
                        } else {
                            tally.mismatch(test.tcId, test.result, "all-zero shared secret was not rejected (got \(computed.map(hexString) ?? String(describing: rejection))) [\(test.comment)]")
                        }
                    } else if computed == expected {
                        tally.pass(test.result)
                    } else {
                        tally.mismatch(test.tcId, test.result, "got \(computed.map(hexString) ?? "error \(String(describing: rejection))"), expected \(test.shared) [\(test.comment)]")
                    }
                case "invalid":
                    if computed == nil {
                        tally.pass(test.result)
                    } else {
                        tally.mismatch(test.tcId, test.result, "accepted, shared \(computed.map(hexString) ?? "") [\(test.comment)]")
                    }
                default:
                    tally.mismatch(test.tcId, test.result, "unknown result type")
                }
            }
        }
        tally.finish(
            numberOfTests: file.numberOfTests,
            breakdown: "valid \(tally.count("valid")), acceptable \(tally.count("acceptable")) incl. \(zeroSharedRejected) zero-shared rejected, invalid \(tally.count("invalid"))")
    }

    // MARK: AEADs

    struct AEADGroup: Decodable {
        let ivSize: Int
        let keySize: Int
        let tagSize: Int
        let tests: [AEADTest]
    }

    struct AEADTest: Decodable {
        let tcId: Int
        let comment: String
        let flags: [String]
        let key: String
        let iv: String
        let aad: String
        let msg: String
        let ct: String
        let tag: String
        let result: String
    }

    enum AEAD {
        case chaCha20Poly1305, xChaCha20Poly1305

        var nonceByteCount: Int {
            switch self {
            case .chaCha20Poly1305: ChaCha20Poly1305.nonceByteCount
            case .xChaCha20Poly1305: XChaCha20Poly1305.nonceByteCount
            }
        }

        func encrypt(_ plaintext: [UInt8], key: borrowing SymmetricKey, nonce: [UInt8], ad: [UInt8]) throws(CryptoError) -> [UInt8] {
            switch self {
            case .chaCha20Poly1305: try ChaCha20Poly1305.encrypt(plaintext, using: key, nonce: nonce, authenticating: ad)
            case .xChaCha20Poly1305: try XChaCha20Poly1305.encrypt(plaintext, using: key, nonce: nonce, authenticating: ad)
            }
        }

        func decrypt(_ sealed: [UInt8], key: borrowing SymmetricKey, nonce: [UInt8], ad: [UInt8]) throws(CryptoError) -> [UInt8] {
            switch self {
            case .chaCha20Poly1305: try ChaCha20Poly1305.decrypt(sealed, using: key, nonce: nonce, authenticating: ad)
            case .xChaCha20Poly1305: try XChaCha20Poly1305.decrypt(sealed, using: key, nonce: nonce, authenticating: ad)
            }
        }
    }

    func runAEAD(_ aead: AEAD, file fileName: String, name: String) throws {
        let file = try Vectors.load(fileName, groups: AEADGroup.self)
        var tally = VectorTally(name)
        var badNonceRejected = 0
        var badKeyRejected = 0
        for group in file.testGroups {
            for test in group.tests {
                let keyBytes = hex(test.key), nonce = hex(test.iv), ad = hex(test.aad)
                let message = hex(test.msg)
                let sealed = hex(test.ct) + hex(test.tag)
                // Key sizes other than 32 bytes must be refused when the key is built.
                guard keyBytes.count == SymmetricKey.byteCount else {
                    let keyError = thrownError { try symmetricKey(keyBytes) }
                    if test.result == "invalid", case .invalidLength? = keyError {
                        tally.pass(test.result)
                        badKeyRejected += 1
                    } else {
                        tally.mismatch(test.tcId, test.result, "\(keyBytes.count)-byte key: \(String(describing: keyError)) [\(test.comment)]")
                    }
                    continue
                }
                let key = try symmetricKey(keyBytes)
                let encrypted = Result { () throws(CryptoError) in try aead.encrypt(message, key: key, nonce: nonce, ad: ad) }
                let decrypted = Result { () throws(CryptoError) in try aead.decrypt(sealed, key: key, nonce: nonce, ad: ad) }
                switch test.result {
                case "valid":
                    var problems: [String] = []
                    switch encrypted {
                    case .success(let output) where output == sealed: break
                    case .success(let output): problems.append("encrypt gave \(hexString(output))")
                    case .failure(let error): problems.append("encrypt threw \(error)")
                    }
                    switch decrypted {
                    case .success(let output) where output == message: break
                    case .success(let output): problems.append("decrypt gave \(hexString(output))")
                    case .failure(let error): problems.append("decrypt threw \(error)")
                    }
                    if problems.isEmpty {
                        tally.pass(test.result)
                    } else {
                        tally.mismatch(test.tcId, test.result, problems.joined(separator: "; ") + " [\(test.comment)]")
                    }
                case "invalid":
                    var problems: [String] = []
                    if case .success = decrypted { problems.append("decrypt succeeded") }
                    let wrongNonceSize = nonce.count != aead.nonceByteCount
                    if wrongNonceSize {
                        // Encrypt must refuse a nonce of the wrong size, by length. Decrypt only
                        // has to fail: these vectors carry no tag, and ChaCha20Poly1305.decrypt
                        // reports a too-short input (authenticationFailed) before the nonce size.
                        if case .failure(.invalidLength) = encrypted {} else { problems.append("encrypt accepted a \(nonce.count)-byte nonce: \(encrypted)") }
                    } else if case .failure(let error) = decrypted, error != .authenticationFailed {
                        problems.append("decrypt threw \(error) instead of authenticationFailed")
                    }
                    if problems.isEmpty {
                        tally.pass(test.result)
                        if wrongNonceSize { badNonceRejected += 1 }
                    } else {
                        tally.mismatch(test.tcId, test.result, problems.joined(separator: "; ") + " [\(test.comment)]")
                    }
                default:
                    tally.mismatch(test.tcId, test.result, "unknown result type")
                }
            }
        }
        tally.finish(
            numberOfTests: file.numberOfTests,
            breakdown: "valid \(tally.count("valid")), invalid \(tally.count("invalid")) incl. \(badNonceRejected) wrong-size nonces and \(badKeyRejected) wrong-size keys rejected")
    }

    @Test func chaCha20Poly1305() throws {
        try runAEAD(.chaCha20Poly1305, file: "chacha20_poly1305_test.json", name: "chacha20-poly1305")
    }

    @Test func xChaCha20Poly1305() throws {
        try runAEAD(.xChaCha20Poly1305, file: "xchacha20_poly1305_test.json", name: "xchacha20-poly1305")
    }

    // MARK: HMAC-SHA-256

    struct MACGroup: Decodable {
        let keySize: Int
        let tagSize: Int
        let tests: [MACTest]
    }

    struct MACTest: Decodable {
        let tcId: Int
        let comment: String
        let key: String
        let msg: String
        let tag: String
        let result: String
    }

    @Test func hmacSHA256() throws {
        let file = try Vectors.load("hmac_sha256_test.json", groups: MACGroup.self)
        var tally = VectorTally("hmac-sha256")
        var truncated = 0
        for group in file.testGroups {
            let tagByteCount = group.tagSize / 8
            for test in group.tests {
                let key = hex(test.key), message = hex(test.msg), tag = hex(test.tag)
                let full = HMACSHA256.authenticationCode(for: message, key: key)
                let matches = ConstantTime.equals(full.prefix(tagByteCount), tag)
                // The SecureBytes-keyed variant must agree with the public-key variant.
                let secretKey = secure(key)
                let fromSecretKey = HMACSHA256.authenticationCode(for: message, using: secretKey)
                var consistent = fromSecretKey == full
                if tagByteCount == HMACSHA256.byteCount {
                    consistent = consistent && HMACSHA256.isValid(tag, for: message, using: secretKey) == matches
                }
                let ok: Bool
                switch test.result {
                case "valid": ok = matches && consistent
                case "invalid": ok = !matches && consistent
                default: ok = false
                }
                if ok {
                    tally.pass(test.result)
                    if tagByteCount < HMACSHA256.byteCount { truncated += 1 }
                } else {
                    tally.mismatch(test.tcId, test.result, "mac \(hexString(full)) vs tag \(test.tag) (tagSize \(group.tagSize), consistent \(consistent)) [\(test.comment)]")
                }
            }
        }
        tally.finish(
            numberOfTests: file.numberOfTests,
            breakdown: "valid \(tally.count("valid")), invalid \(tally.count("invalid")); \(truncated) with truncated tags")
    }

    // MARK: HKDF-SHA-256

    struct HKDFGroup: Decodable {
        let keySize: Int
        let tests: [HKDFTest]
    }

    struct HKDFTest: Decodable {
        let tcId: Int
        let comment: String
        let ikm: String
        let salt: String
        let info: String
        let size: Int
        let okm: String
        let result: String
    }

    @Test func hkdfSHA256() throws {
        let file = try Vectors.load("hkdf_sha256_test.json", groups: HKDFGroup.self)
        var tally = VectorTally("hkdf-sha256")
        for group in file.testGroups {
            for test in group.tests {
                let ikm = secure(hex(test.ikm))
                let derived = Result { () throws(CryptoError) -> [UInt8] in
                    let okm = try HKDF.deriveKey(inputKeyMaterial: ikm, salt: hex(test.salt), info: hex(test.info), outputByteCount: test.size)
                    return contents(of: okm)
                }
                switch (test.result, derived) {
                case ("valid", .success(let okm)) where okm == hex(test.okm):
                    tally.pass(test.result)
                case ("invalid", .failure(.invalidParameter)):
                    tally.pass(test.result)
                default:
                    tally.mismatch(test.tcId, test.result, "size \(test.size): \(derived.map(hexString)) [\(test.comment)]")
                }
            }
        }
        tally.finish(
            numberOfTests: file.numberOfTests,
            breakdown: "valid \(tally.count("valid")), invalid \(tally.count("invalid"))")
    }

    // MARK: Ed25519

    struct EdDSAGroup: Decodable {
        struct Key: Decodable {
            let curve: String
            let pk: String
        }
        let publicKey: Key
        let tests: [EdDSATest]
    }

    struct EdDSATest: Decodable {
        let tcId: Int
        let comment: String
        let msg: String
        let sig: String
        let result: String
    }

    /// The Wycheproof file carries public keys only. Some of its groups are the
    /// RFC 8032 §7.1 test keys, whose seeds are published there: for those we also
    /// check that our (deterministic) signature equals the expected one.
    static let rfc8032Seeds = [
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", // TEST 1
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", // TEST 2
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", // TEST 3
    ]

    @Test func ed25519() throws {
        let file = try Vectors.load("ed25519_test.json", groups: EdDSAGroup.self)
        var tally = VectorTally("ed25519")
        var seedsByPublicKey: [[UInt8]: String] = [:]
        for seed in Self.rfc8032Seeds {
            let key = try Ed25519.PrivateKey(seed: secure(hex(seed)))
            seedsByPublicKey[key.publicKey.rawRepresentation] = seed
        }
        var signaturesReproduced = 0
        var seedsUsed = Set<String>()
        for group in file.testGroups {
            #expect(group.publicKey.curve == "edwards25519")
            let publicBytes = hex(group.publicKey.pk)
            let publicKey = try? Ed25519.PublicKey(rawRepresentation: publicBytes)
            let seed = seedsByPublicKey[publicBytes]
            for test in group.tests {
                let message = hex(test.msg), signature = hex(test.sig)
                let verified = publicKey?.isValidSignature(signature, for: message) ?? false
                var problems: [String] = []
                switch test.result {
                case "valid":
                    if !verified { problems.append("valid signature rejected") }
                    if let seed {
                        let signer = try Ed25519.PrivateKey(seed: secure(hex(seed)))
                        let ours = signer.signature(for: message)
                        if ours == signature {
                            signaturesReproduced += 1
                            seedsUsed.insert(seed)
                        } else {
                            problems.append("our signature \(hexString(ours)) differs")
                        }
                    }
                case "invalid":
                    if verified { problems.append("invalid signature accepted") }
                default:
                    problems.append("unknown result type")
                }
                if problems.isEmpty {
                    tally.pass(test.result)
                } else {
                    tally.mismatch(test.tcId, test.result, problems.joined(separator: "; ") + " [\(test.comment)]")
                }
            }
        }
        #expect(seedsUsed.count == Self.rfc8032Seeds.count, "every RFC 8032 key should appear in the Wycheproof file")
        tally.finish(
            numberOfTests: file.numberOfTests,
            breakdown: "valid \(tally.count("valid")) incl. \(signaturesReproduced) re-signed from RFC 8032 seeds, invalid \(tally.count("invalid"))")
    }
}
