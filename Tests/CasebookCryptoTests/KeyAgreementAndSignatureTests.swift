import CasebookCrypto
import Testing

@Suite("X25519 and Ed25519")
struct KeyAgreementAndSignatureTests {
    // MARK: X25519

    @Test func x25519AgreementIsSymmetric() throws {
        let alice = X25519.PrivateKey(), bob = X25519.PrivateKey()
        let ab = try alice.sharedSecret(with: bob.publicKey)
        let ba = try bob.sharedSecret(with: alice.publicKey)
        #expect(contents(of: ab) == contents(of: ba))
        #expect(contents(of: ab).contains { $0 != 0 })
    }

    @Test func x25519RFC7748KeyPair() throws {
        // RFC 7748 §6.1.
        let alice = try X25519.PrivateKey(rawRepresentation: secure(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")))
        let bob = try X25519.PrivateKey(rawRepresentation: secure(hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")))
        #expect(hexString(alice.publicKey.rawRepresentation) == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        #expect(hexString(bob.publicKey.rawRepresentation) == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
        let shared = try alice.sharedSecret(with: bob.publicKey)
        #expect(hexString(contents(of: shared)) == "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        alice.withUnsafeBytes { #expect(hexString(Array($0)) == "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a") }
    }

    @Test(arguments: [0, 31, 33, 56])
    func x25519RejectsWrongKeySizes(count: Int) {
        let publicError = thrownError { try X25519.PublicKey(rawRepresentation: [UInt8](repeating: 9, count: count)) }
        #expect(publicError == .invalidLength(what: "X25519 public key", expected: 32, actual: count))
        let privateError = thrownError { try X25519.PrivateKey(rawRepresentation: SecureBytes(count: count)) }
        #expect(privateError == .invalidLength(what: "X25519 private key", expected: 32, actual: count))
    }

    @Test func x25519RejectsLowOrderPoints() throws {
        let ours = X25519.PrivateKey()
        // u = 0 and u = 1 are low-order points.
        for u in [[UInt8](repeating: 0, count: 32), [1] + [UInt8](repeating: 0, count: 31)] {
            let peer = try X25519.PublicKey(rawRepresentation: u)
            let error = thrownError { try ours.sharedSecret(with: peer) }
            #expect(error == .invalidPublicKey)
        }
    }

    // MARK: Ed25519

    @Test func ed25519RFC8032Test1() throws {
        let key = try Ed25519.PrivateKey(seed: secure(hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")))
        #expect(hexString(key.publicKey.rawRepresentation) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let signature = key.signature(for: [UInt8]())
        #expect(hexString(signature)
            == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(key.publicKey.isValidSignature(signature, for: [UInt8]()))
        key.withSeedBytes { #expect(hexString(Array($0)) == "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60") }
    }

    @Test func ed25519SignVerifyRoundTrip() throws {
        let key = Ed25519.PrivateKey()
        let message = Array("signed note".utf8)
        let signature = key.signature(for: message)
        #expect(signature.count == Ed25519.signatureByteCount)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
        var altered = signature
        altered[10] ^= 1
        #expect(!key.publicKey.isValidSignature(altered, for: message))
        #expect(!key.publicKey.isValidSignature(signature.dropLast(), for: message))
        #expect(!key.publicKey.isValidSignature(signature + [0], for: message))
        let other = Ed25519.PrivateKey()
        #expect(!other.publicKey.isValidSignature(signature, for: message))
        // Same seed → same key and same (deterministic) signature.
        let seed = key.withSeedBytes { Array($0) }
        let again = try Ed25519.PrivateKey(seed: secure(seed))
        #expect(again.publicKey == key.publicKey)
        #expect(again.signature(for: message) == signature)
        let roundTripped = try Ed25519.PublicKey(rawRepresentation: key.publicKey.rawRepresentation)
        #expect(roundTripped.isValidSignature(signature, for: message))
    }

    @Test(arguments: [0, 31, 33, 64])
    func ed25519RejectsWrongSizes(count: Int) {
        let seedError = thrownError { try Ed25519.PrivateKey(seed: SecureBytes(count: count)) }
        #expect(seedError == .invalidLength(what: "Ed25519 seed", expected: 32, actual: count))
        let publicError = thrownError { try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 1, count: count)) }
        #expect(publicError == .invalidLength(what: "Ed25519 public key", expected: 32, actual: count))
    }
}
