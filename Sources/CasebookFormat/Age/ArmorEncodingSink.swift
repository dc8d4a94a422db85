/// A `ByteSink` that armors what is written to it and passes the text to `inner`.
/// Call `finish()` after the last write to emit the final line and the END line.
struct ArmorEncodingSink<Inner: ByteSink>: ByteSink {
    var inner: Inner
    /// Bytes waiting for a full 48-byte line.
    private var carry: [UInt8] = []
    /// Armored text waiting to be written, flushed in large pieces.
    private var text: [UInt8] = []
    private static var flushThreshold: Int { 64 * 1024 }

    init(_ inner: Inner) {
        self.inner = inner
        carry.reserveCapacity(AgeArmor.bytesPerLine)
        text.reserveCapacity(Self.flushThreshold + 128)
        text += Array((AgeArmor.beginLine + "\n").utf8)
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        if !carry.isEmpty {
            let take = min(AgeArmor.bytesPerLine - carry.count, bytes.count)
            carry += bytes[0..<take]
            offset = take
            if carry.count == AgeArmor.bytesPerLine {
                carry.withUnsafeBytes { appendLine($0) }
                carry.removeAll(keepingCapacity: true)
            }
        }
        while bytes.count - offset >= AgeArmor.bytesPerLine {
            appendLine(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + AgeArmor.bytesPerLine)]))
            offset += AgeArmor.bytesPerLine
            if text.count >= Self.flushThreshold { try flush() }
        }
        carry += bytes[offset...]
        if text.count >= Self.flushThreshold { try flush() }
    }

    /// Writes the last (padded) line and the END line.
    mutating func finish() throws {
        if !carry.isEmpty {
            text += Base64.encodeBytes(carry, padded: true)
            text.append(10)
            carry.removeAll()
        }
        text += Array((AgeArmor.endLine + "\n").utf8)
        try flush()
    }

    private mutating func flush() throws {
        try text.withUnsafeBytes { try inner.write($0) }
        text.removeAll(keepingCapacity: true)
    }

    /// Appends 48 bytes as 64 base64 characters and a LF.
    private mutating func appendLine(_ bytes: UnsafeRawBufferPointer) {
        let alphabet = AgeArmor.alphabet
        var index = 0
        while index < AgeArmor.bytesPerLine {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            text.append(alphabet[Int(value >> 18 & 63)])
            text.append(alphabet[Int(value >> 12 & 63)])
            text.append(alphabet[Int(value >> 6 & 63)])
            text.append(alphabet[Int(value & 63)])
            index += 3
        }
        text.append(10)
    }
}
