/// Strict reader over version-1 bytes.
struct FieldListReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func readVersion() throws(FieldListEncodingError) {
        guard bytes.count > 0 else {
            throw FieldListEncodingError(offset: 0, message: "empty input (expected a version byte)")
        }
        guard bytes[0] == FieldListEncoding.version else {
            throw FieldListEncodingError(
                offset: 0, message: "unsupported version \(bytes[0]) (expected \(FieldListEncoding.version))")
        }
        offset = 1
    }

    /// Reads a varint length and checks that that many bytes follow.
    mutating func readLength(what: String) throws(FieldListEncodingError) -> Int {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else {
                throw FieldListEncodingError(offset: start, message: "truncated \(what) length")
            }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && offset - start > 1 {
                    throw FieldListEncodingError(offset: start, message: "non-minimal \(what) length")
                }
                break
            }
            shift += 7
            if shift > 56 {
                throw FieldListEncodingError(offset: start, message: "\(what) length is too large")
            }
        }
        guard result <= UInt64(bytes.count - offset) else {
            throw FieldListEncodingError(
                offset: start, message: "\(what) length \(result) runs past the end of the input")
        }
        return Int(result)
    }

    /// Reads one length-prefixed string's byte range without checking its UTF-8.
    mutating func readRange(what: String) throws(FieldListEncodingError) -> Range<Int> {
        let length = try readLength(what: what)
        let range = offset..<(offset + length)
        offset += length
        return range
    }

    /// Reads one length-prefixed string, validates its UTF-8 without allocating, and returns
    /// its byte range.
    mutating func readValidRange(what: String) throws(FieldListEncodingError) -> Range<Int> {
        let start = offset
        let length = try readLength(what: what)
        let range = offset..<(offset + length)
        offset += length
        guard StrictUTF8.isValid(bytes, range) else {
            throw FieldListEncodingError(offset: start, message: "\(what) is not valid UTF-8")
        }
        return range
    }
}
