import CasebookCrypto
import Testing

@Suite("Password hashing and key derivation")
struct KeyDerivationTests {
    // MARK: Argon2id

    @Test func argon2idIsDeterministic() throws {
        let salt = [UInt8](repeating: 0x5a, count: Argon2id.saltByteCount)
        let first = try Argon2id.deriveKey(from: secure(Array("correct horse".utf8)), salt: salt, parameters: .interactive)
        let second = try Argon2id.deriveKey(from: secure(Array("correct horse".utf8)), salt: salt, parameters: .interactive)
        let firstBytes = contents(of: first)
        #expect(firstBytes.count == SymmetricKey.byteCount)
        #expect(firstBytes == contents(of: second))
        #expect(firstBytes.contains { $0 != 0 })
    }

    @Test func argon2idDependsOnSaltAndPassphrase() throws {
        // Minimal limits keep this test fast; the point is input sensitivity.
        let parameters = Argon2id.Parameters(opsLimit: 1, memLimit: 8 * 1024)
        #expect(parameters.isWithinLibraryBounds)
        let saltA = [UInt8](repeating: 1, count: 16)
        var saltB = saltA
        saltB[15] = 2
        let a = try Argon2id.deriveKey(from: secure(Array("passphrase".utf8)), salt: saltA, parameters: parameters)
        let b = try Argon2id.deriveKey(from: secure(Array("passphrase".utf8)), salt: saltB, parameters: parameters)
        let c = try Argon2id.deriveKey(from: secure(Array("passphrasf".utf8)), salt: saltA, parameters: parameters)
        let d = try Argon2id.deriveKey(from: secure(Array("passphrase".utf8)), salt: saltA, parameters: .interactive)
        #expect(contents(of: a) != contents(of: b))
        #expect(contents(of: a) != contents(of: c))
        #expect(contents(of: a) != contents(of: d))
        // Empty passphrase is allowed and still salted.
        let empty = try Argon2id.deriveKey(from: SecureBytes(count: 0), salt: saltA, parameters: parameters)
        #expect(contents(of: empty) != contents(of: a))
    }

    @Test(arguments: [0, 8, 15, 17, 32])
    func argon2idRejectsWrongSaltLength(count: Int) {
        let salt = [UInt8](repeating: 7, count: count)
        let error = thrownError {
            try Argon2id.deriveKey(from: secure(Array("pw".utf8)), salt: salt, parameters: .interactive)
        }
        #expect(error == .invalidLength(what: "Argon2id salt", expected: 16, actual: count))
    }

    @Test func argon2idRejectsOutOfBoundsLimits() {
        let salt = [UInt8](repeating: 7, count: 16)
        for parameters in [
            Argon2id.Parameters(opsLimit: 0, memLimit: 64 << 20),
            Argon2id.Parameters(opsLimit: 2, memLimit: 1024),
            Argon2id.Parameters(opsLimit: 2, memLimit: (4 << 30) + 1),
        ] {
            #expect(!parameters.isWithinLibraryBounds)
            let error = thrownError {
                try Argon2id.deriveKey(from: secure(Array("pw".utf8)), salt: salt, parameters: parameters)
            }
            #expect(error == .invalidParameter("Argon2id limits out of range"))
        }
        #expect(Argon2id.Parameters.interactive.isWithinLibraryBounds)
        #expect(Argon2id.Parameters.moderate.isWithinLibraryBounds)
        #expect(Argon2id.Parameters.sensitive.isWithinLibraryBounds)
        #expect(Argon2id.Parameters.interactive == Argon2id.Parameters(opsLimit: 2, memLimit: 64 << 20))
    }

    // MARK: scrypt

    @Test func scryptRFC7914Vector() throws {
        let output = try Scrypt.deriveKey(
            from: secure(Array("pleaseletmein".utf8)), salt: Array("SodiumChloride".utf8), logN: 14, outputByteCount: 64)
        #expect(hexString(contents(of: output))
            == "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887")
    }

    @Test func scryptRejectsBadWorkFactor() {
        for logN in [0, -1, 31, 64] {
            let error = thrownError {
                try Scrypt.deriveKey(from: secure([1, 2, 3]), salt: [UInt8](), logN: logN)
            }
            #expect(error == .invalidParameter("scrypt work factor 2^\(logN)"))
        }
    }

    // MARK: crypto_kdf

    @Test func keyDerivationSeparatesIdsAndContexts() throws {
        let master = SymmetricKey()
        let a1 = try KeyDerivation.deriveKey(from: master, context: "records_", id: 1)
        let a1Again = try KeyDerivation.deriveKey(from: master, context: "records_", id: 1)
        let a2 = try KeyDerivation.deriveKey(from: master, context: "records_", id: 2)
        let b1 = try KeyDerivation.deriveKey(from: master, context: "journal_", id: 1)
        let otherMaster = SymmetricKey()
        let c1 = try KeyDerivation.deriveKey(from: otherMaster, context: "records_", id: 1)
        let keys = [contents(of: a1), contents(of: a2), contents(of: b1), contents(of: c1), contents(of: master)]
        #expect(contents(of: a1) == contents(of: a1Again))
        #expect(Set(keys).count == keys.count, "all derived keys and the master differ")
        #expect(keys.allSatisfy { $0.count == 32 })
        let maxID = try KeyDerivation.deriveKey(from: master, context: "records_", id: .max)
        #expect(contents(of: maxID) != contents(of: a1))
    }

    @Test(arguments: ["", "records", "records__", "cafébook"])
    func keyDerivationRejectsBadContextLength(context: String) {
        let master = SymmetricKey()
        let error = thrownError { try KeyDerivation.deriveKey(from: master, context: context, id: 0) }
        #expect(error == .invalidLength(what: "key derivation context", expected: 8, actual: context.utf8.count))
    }

    // MARK: HKDF (beyond Wycheproof)

    @Test func hkdfExtractExpandMatchesDeriveKey() throws {
        let ikm = secure(SecureRandom.bytes(32))
        let salt = SecureRandom.bytes(16), info = Array("age-encryption.org/v1".utf8)
        let derived = try HKDF.deriveKey(inputKeyMaterial: ikm, salt: salt, info: info, outputByteCount: 100)
        let prk = HKDF.extract(inputKeyMaterial: ikm, salt: salt)
        let expanded = try HKDF.expand(pseudorandomKey: prk, info: info, outputByteCount: 100)
        #expect(contents(of: derived) == contents(of: expanded))
        #expect(contents(of: prk) == HMACSHA256.authenticationCode(for: contents(of: ikm), key: salt))
        // Shorter outputs are prefixes of longer ones.
        let short = try HKDF.deriveKey(inputKeyMaterial: ikm, salt: salt, info: info, outputByteCount: 33)
        #expect(contents(of: short) == Array(contents(of: derived).prefix(33)))
    }

    @Test func hkdfOutputLengthBounds() throws {
        let ikm = secure([1, 2, 3])
        let empty = try HKDF.deriveKey(inputKeyMaterial: ikm, salt: [UInt8](), info: [UInt8](), outputByteCount: 0)
        #expect(empty.count == 0)
        let maximal = try HKDF.deriveKey(inputKeyMaterial: ikm, salt: [UInt8](), info: [UInt8](), outputByteCount: HKDF.maximumOutputByteCount)
        #expect(maximal.count == 8160)
        for count in [-1, 8161] {
            let error = thrownError {
                try HKDF.deriveKey(inputKeyMaterial: ikm, salt: [UInt8](), info: [UInt8](), outputByteCount: count)
            }
            #expect(error == .invalidParameter("HKDF output length \(count) exceeds 8160"))
        }
    }
}
