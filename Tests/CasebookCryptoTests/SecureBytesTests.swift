import CasebookCrypto
import Testing

@Suite("SecureBytes and SymmetricKey")
struct SecureBytesTests {
    @Test func randomIsNotAllZeroAndNotRepeated() {
        let a = SecureBytes.random(count: 32)
        let b = SecureBytes.random(count: 32)
        let aBytes = contents(of: a), bBytes = contents(of: b)
        #expect(a.count == 32)
        #expect(aBytes.contains { $0 != 0 })
        #expect(aBytes != bBytes)
        let equal = a.constantTimeEquals(b)
        #expect(!equal)
    }

    @Test func zeroFilledOnCreation() {
        let zeros = SecureBytes(count: 48)
        #expect(contents(of: zeros) == [UInt8](repeating: 0, count: 48))
    }

    @Test func duplicateIsEqualAndIndependent() {
        var original = SecureBytes.random(count: 64)
        let copy = original.duplicate()
        let before = contents(of: original)
        #expect(copy.count == original.count)
        #expect(contents(of: copy) == before)
        let equal = original.constantTimeEquals(copy)
        #expect(equal)
        // Changing the original leaves the duplicate untouched.
        original.withUnsafeMutableBytes { $0[0] ^= 0xff }
        #expect(contents(of: copy) == before)
        let stillEqual = original.constantTimeEquals(copy)
        #expect(!stillEqual)
    }

    @Test func constantTimeEquals() {
        let a = secure([1, 2, 3, 4])
        let b = secure([1, 2, 3, 4])
        let lastDiffers = secure([1, 2, 3, 5])
        let shorter = secure([1, 2, 3])
        let emptyA = SecureBytes(count: 0)
        let emptyB = SecureBytes(count: 0)
        let same = a.constantTimeEquals(b)
        let differs = a.constantTimeEquals(lastDiffers)
        let lengthDiffers = a.constantTimeEquals(shorter)
        let lengthDiffersReversed = shorter.constantTimeEquals(a)
        let empties = emptyA.constantTimeEquals(emptyB)
        let emptyVsFull = emptyA.constantTimeEquals(a)
        #expect(same)
        #expect(!differs)
        #expect(!lengthDiffers)
        #expect(!lengthDiffersReversed)
        #expect(empties)
        #expect(!emptyVsFull)
    }

    @Test func consumingInitWipesSource() {
        var source: [UInt8] = [9, 8, 7, 6, 5]
        let secret = SecureBytes(consuming: &source)
        #expect(source.isEmpty)
        #expect(contents(of: secret) == [9, 8, 7, 6, 5])
    }

    @Test func copyingInit() {
        let bytes: [UInt8] = Array(0..<20)
        // Array.withUnsafeBytes cannot return a noncopyable value: go through an Optional.
        var holder: SecureBytes?
        bytes.withUnsafeBytes { holder = SecureBytes(copying: $0) }
        let secret = holder.take()!
        #expect(contents(of: secret) == bytes)
        [UInt8]().withUnsafeBytes { holder = SecureBytes(copying: $0) }
        let empty = holder.take()!
        #expect(empty.count == 0)
    }

    @Test(arguments: [0, 1, 16, 31, 33, 64])
    func symmetricKeyRejectsWrongLength(count: Int) {
        let error = thrownError { try SymmetricKey(SecureBytes(count: count)) }
        #expect(error == .invalidLength(what: "symmetric key", expected: 32, actual: count))
    }

    @Test func symmetricKeyAcceptsThirtyTwoBytesAndDuplicates() throws {
        let bytes = SecureRandom.bytes(32)
        let key = try symmetricKey(bytes)
        #expect(contents(of: key) == bytes)
        let copy = key.duplicate()
        #expect(contents(of: copy) == bytes)
        let fresh1 = SymmetricKey(), fresh2 = SymmetricKey()
        #expect(contents(of: fresh1) != contents(of: fresh2))
    }

    @Test func secureRandom() {
        #expect(SecureRandom.bytes(0).isEmpty)
        let a = SecureRandom.bytes(32), b = SecureRandom.bytes(32)
        #expect(a.count == 32)
        #expect(a != b)
        for _ in 0..<200 {
            #expect(SecureRandom.uniform(7) < 7)
        }
    }
}
