import Foundation

/// Case-insensitive search over encoded field lists without decoding them.
extension FieldListEncoding {
    /// A search term prepared once, for searching many encoded field lists.
    public struct CaseInsensitiveNeedle: Sendable {
        /// The lowercased ASCII bytes of the needle, when it is ASCII.
        private let asciiFolded: [UInt8]?
        /// The UTF-8 of the lowercased needle, for the non-ASCII path.
        private let lowered: [UInt8]
        /// Whether `lowered` is ASCII (it can be even for a non-ASCII needle: "K", KELVIN SIGN,
        /// lowercases to "k").
        private let loweredIsASCII: Bool
        /// Positions of the two rarest bytes of `asciiFolded`, for the vectorised filter.
        private let anchors: (Int, Int)

        public init(_ needle: String) {
            if needle.utf8.allSatisfy({ $0 < 0x80 }) {
                asciiFolded = needle.utf8.map(FieldListReader.foldASCII)
            } else {
                asciiFolded = nil
            }
            lowered = Array(needle.lowercased().utf8)
            loweredIsASCII = lowered.allSatisfy { $0 < 0x80 }
            anchors = asciiFolded.map(FieldListReader.rarestTwo) ?? (0, 0)
        }

        /// See `FieldListEncoding.containsCaseInsensitive(_:in:)`.
        public func isContained(in encoded: UnsafeRawBufferPointer) throws(FieldListEncodingError) -> Bool {
            try isContained(in: encoded, skippingKeysWithPrefix: [])
        }

        /// Like `isContained(in:)`, but values whose key starts with `prefix` (UTF-8 bytes)
        /// are not searched (for example bookkeeping fields a person did not write).
        public func isContained(
            in encoded: UnsafeRawBufferPointer, skippingKeysWithPrefix prefix: [UInt8], trustingUTF8: Bool = false
        ) throws(FieldListEncodingError) -> Bool {
            var reader = FieldListReader(bytes: encoded)
            try reader.readVersion()
            var found = lowered.isEmpty
            while !reader.isAtEnd {
                // `trustingUTF8` skips the UTF-8 check for authenticated plaintext this encoder wrote.
                let key = trustingUTF8 ? try reader.readRange(what: "key") : try reader.readValidRange(what: "key")
                let value = trustingUTF8 ? try reader.readRange(what: "value") : try reader.readValidRange(what: "value")
                if found { continue }
                if !prefix.isEmpty, key.count >= prefix.count,
                   prefix.indices.allSatisfy({ encoded[key.lowerBound + $0] == prefix[$0] }) { continue }
                if let asciiFolded {
                    found = FieldListReader.containsFolded(asciiFolded, in: encoded, range: value)
                } else if FieldListReader.isASCII(encoded, value) {
                    // Lowercasing ASCII gives ASCII, so only an ASCII lowered needle can match.
                    found = loweredIsASCII
                        && FieldListReader.containsFolded(lowered, in: encoded, range: value)
                } else {
                    found = FieldListReader.loweredContains(lowered, in: encoded, range: value)
                }
            }
            return found
        }

        /// For plaintext this encoder wrote and an AEAD tag has just authenticated: the same
        /// answer as `isContained(in:skippingKeysWithPrefix:trustingUTF8: true)`, found faster.
        /// An ASCII needle is looked for in one vectorised pass over the whole input
        /// (16 candidate positions at a time, filtered on two of its rarest bytes), and the
        /// field structure is walked only to place a candidate match inside one value; so,
        /// unlike the other entry points, a malformed structure is reported only when the
        /// walk reaches it. A non-ASCII needle takes the per-field path.
        public func isContained(
            authenticated encoded: UnsafeRawBufferPointer, skippingKeysWithPrefix prefix: [UInt8]
        ) throws(FieldListEncodingError) -> Bool {
            guard let pattern = asciiFolded, !pattern.isEmpty, let base = encoded.baseAddress else {
                return try isContained(in: encoded, skippingKeysWithPrefix: prefix, trustingUTF8: true)
            }
            var walker = FieldListReader(bytes: encoded)
            try walker.readVersion()
            let count = pattern.count
            guard encoded.count - 1 >= count else { return false }
            let (first, second) = anchors
            // `byte | 0x20` equals `needleByte | 0x20` for both cases of a letter (and for a
            // few other pairs, which the exact comparison then rejects).
            let caseBit = SIMD16<UInt8>(repeating: 0x20)
            let wantFirst = SIMD16<UInt8>(repeating: pattern[first] | 0x20)
            let wantSecond = SIMD16<UInt8>(repeating: pattern[second] | 0x20)
            var value = 0..<0
            var key = 0..<0
            // Whether the needle, matched at `start`, lies inside one searchable value.
            func placed(_ start: Int) throws(FieldListEncodingError) -> Bool {
                for index in 0..<count where FieldListReader.foldASCII(encoded[start + index]) != pattern[index] {
                    return false
                }
                while value.upperBound < start + count {
                    guard !walker.isAtEnd else { return false }
                    key = try walker.readRange(what: "key")
                    value = try walker.readRange(what: "value")
                }
                guard value.lowerBound <= start else { return false }
                return prefix.isEmpty || key.count < prefix.count
                    || !prefix.indices.allSatisfy({ encoded[key.lowerBound + $0] == prefix[$0] })
            }
            var start = 1
            let lastStart = encoded.count - count
            // A set lane is a start position where both anchors match.
            @inline(__always) func hits(at start: Int) -> SIMDMask<SIMD16<Int8>> {
                ((base.loadUnaligned(fromByteOffset: start + first, as: SIMD16<UInt8>.self) | caseBit) .== wantFirst)
                    .& ((base.loadUnaligned(fromByteOffset: start + second, as: SIMD16<UInt8>.self) | caseBit) .== wantSecond)
            }
            @inline(__always) func anySet(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
                let words = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
                return words[0] | words[1] != 0
            }
            func check(_ mask: SIMDMask<SIMD16<Int8>>, at start: Int) throws(FieldListEncodingError) -> Bool {
                for lane in 0..<16 where mask[lane] {
                    if try placed(start + lane) { return true }
                }
                return false
            }
            // 32 positions per step, tested together, then 16.
            while start + 31 <= lastStart {
                let low = hits(at: start)
                let high = hits(at: start + 16)
                if anySet(low .| high) {
                    if try check(low, at: start) { return true }
                    if try check(high, at: start + 16) { return true }
                }
                start += 32
            }
            while start + 15 <= lastStart {
                let mask = hits(at: start)
                if anySet(mask), try check(mask, at: start) { return true }
                start += 16
            }
            while start <= lastStart {
                if encoded[start + first] | 0x20 == pattern[first] | 0x20, try placed(start) { return true }
                start += 1
            }
            return false
        }

        /// See `FieldListEncoding.containsCaseInsensitive(_:in:)`.
        public func isContained(in encoded: some Collection<UInt8>) throws(FieldListEncodingError) -> Bool {
            let contiguous: Result<Bool, FieldListEncodingError>? =
                encoded.withContiguousStorageIfAvailable { buffer in
                    do throws(FieldListEncodingError) {
                        return .success(try isContained(in: UnsafeRawBufferPointer(buffer)))
                    } catch {
                        return .failure(error)
                    }
                }
            if let contiguous { return try contiguous.get() }
            let copy = Array(encoded)
            let result: Result<Bool, FieldListEncodingError> = copy.withUnsafeBytes { raw in
                do throws(FieldListEncodingError) {
                    return .success(try isContained(in: raw))
                } catch {
                    return .failure(error)
                }
            }
            return try result.get()
        }
    }
}
