/// A `ByteSource` that strips age's ASCII armor from `inner` as it is read, line
/// by line, with bounded memory. Errors are `AgeError.armor` and are sticky.
struct ArmorDecodingSource<Inner: ByteSource>: ByteSource {
    var inner: Inner

    private enum State { case start, body, finished }
    private var state = State.start
    private var failure: AgeError?

    /// Raw armored text: `input[position..<end]` is not yet consumed.
    private var input = [UInt8](repeating: 0, count: 16 * 1024)
    private var position = 0
    private var end = 0
    private var innerEnded = false

    /// Decoded bytes not yet handed out: `pending[pendingStart..<pendingEnd]`.
    private var pending = [UInt8](repeating: 0, count: AgeArmor.bytesPerLine)
    private var pendingStart = 0
    private var pendingEnd = 0

    /// Whether the BEGIN line ended in CRLF; every line must end the same way.
    private var crlf = false
    /// Set after a short or padded line: the next line must be the END line.
    private var mustEnd = false

    init(_ inner: Inner) {
        self.inner = inner
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let failure { throw failure }
        do {
            return try readDecoded(into: buffer)
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func readDecoded(into buffer: UnsafeMutableRawBufferPointer) throws(AgeError) -> Int {
        guard buffer.count > 0 else { return 0 }
        if state == .start {
            try readBegin()
            state = .body
        }
        var written = 0
        while written < buffer.count {
            if pendingStart < pendingEnd {
                let count = min(pendingEnd - pendingStart, buffer.count - written)
                pending.withUnsafeBytes { source in
                    (buffer.baseAddress! + written).copyMemory(from: source.baseAddress! + pendingStart, byteCount: count)
                }
                pendingStart += count
                written += count
                continue
            }
            guard state == .body else { break }
            let room = buffer.count - written
            if room >= AgeArmor.bytesPerLine {
                written += try decodeNextLine(into: buffer.baseAddress! + written)
            } else {
                // Decode into a local array: `pending` cannot be lent while `self` is mutated.
                var scratch: [UInt8] = []
                swap(&scratch, &pending)
                defer { swap(&scratch, &pending) }
                let count = try typedThrows { try scratch.withUnsafeMutableBytes { target in
                    try decodeNextLine(into: target.baseAddress!)
                } }
                pendingStart = 0
                pendingEnd = count
            }
        }
        return written
    }

    // MARK: Lines

    private struct Line {
        var start: Int
        var end: Int
        var terminated: Bool
        var count: Int { end - start }
    }

    /// The next line's content (without its line end), or nil at the end of input.
    private mutating func nextLine(limit: Int) throws(AgeError) -> Line? {
        while true {
            let searchEnd = min(end, position + limit + 2)
            if let newline = input[position..<searchEnd].firstIndex(of: 10) {
                var line = Line(start: position, end: newline, terminated: true)
                position = newline + 1
                let hasCR = line.end > line.start && input[line.end - 1] == 13
                if hasCR { line.end -= 1 }
                guard hasCR == crlf else { throw .armor("the line endings mix LF and CRLF") }
                return line
            }
            if searchEnd - position >= limit + 2 {
                throw .armor("a line is longer than \(AgeArmor.columns) columns")
            }
            if innerEnded {
                guard position < end else { return nil }
                let line = Line(start: position, end: end, terminated: false)
                position = end
                return line
            }
            try refill()
        }
    }

    /// Moves unconsumed bytes to the front and reads more from `inner`.
    private mutating func refill() throws(AgeError) {
        if position > 0 {
            let remaining = end - position
            input.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + position, byteCount: remaining)
            }
            position = 0
            end = remaining
        }
        let count: Int
        do {
            count = try input.withUnsafeMutableBytes { raw in
                try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
            }
        } catch let error as AgeError {
            throw error
        } catch {
            throw .io("reading the input failed: \(error)")
        }
        if count == 0 { innerEnded = true }
        end += count
    }

    private func matches(_ line: Line, _ text: String) -> Bool {
        input[line.start..<line.end].elementsEqual(text.utf8)
    }

    // MARK: Structure

    private mutating func readBegin() throws(AgeError) {
        var skipped = 0
        while true {
            if position == end {
                guard !innerEnded else { throw .armor("there is no '\(AgeArmor.beginLine)' line") }
                try refill()
                continue
            }
            guard AgeArmor.isWhitespace(input[position]) else { break }
            position += 1
            skipped += 1
            guard skipped <= AgeArmor.maximumWhitespace else {
                throw .armor("more than \(AgeArmor.maximumWhitespace) bytes of whitespace before the BEGIN line")
            }
        }
        // The BEGIN line decides between LF and CRLF.
        while !innerEnded && !input[position..<end].contains(10) && end - position < AgeArmor.columns + 2 {
            try refill()
        }
        if let newline = input[position..<end].firstIndex(of: 10), newline > position {
            crlf = input[newline - 1] == 13
        }
        guard let line = try nextLine(limit: AgeArmor.columns), line.terminated, matches(line, AgeArmor.beginLine) else {
            throw .armor("the file does not start with the line '\(AgeArmor.beginLine)'")
        }
    }

    /// Decodes the next data line into `target` (room for 48 bytes) and returns the
    /// byte count; at the END line, checks what follows and returns 0.
    private mutating func decodeNextLine(into target: UnsafeMutableRawPointer) throws(AgeError) -> Int {
        guard let line = try nextLine(limit: AgeArmor.columns) else {
            throw .armorTruncated
        }
        if matches(line, AgeArmor.endLine) {
            if line.terminated { try checkTrailingWhitespace() }
            state = .finished
            return 0
        }
        guard line.terminated else { throw .armorTruncated }
        guard !mustEnd else {
            throw .armor("a line shorter than \(AgeArmor.columns) columns or with padding is followed by more data")
        }
        guard line.count > 0 else { throw .armor("there is an empty line inside the armor") }
        guard line.count % 4 == 0 else {
            throw .armor("a line's base64 is not a multiple of 4 characters (missing padding?)")
        }
        let decoded = input.withUnsafeBytes { raw in
            Self.decodeBase64(UnsafeRawBufferPointer(rebasing: raw[line.start..<line.end]), into: target)
        }
        guard let decoded else { throw .armor("a line is not canonical padded base64") }
        if line.count < AgeArmor.columns || input[line.end - 1] == UInt8(ascii: "=") { mustEnd = true }
        return decoded
    }

    /// After the END line only whitespace (at most 1 KiB) may follow.
    private mutating func checkTrailingWhitespace() throws(AgeError) {
        var seen = 0
        while true {
            while position < end {
                guard AgeArmor.isWhitespace(input[position]) else {
                    throw .armor("there is data after the '\(AgeArmor.endLine)' line")
                }
                position += 1
                seen += 1
                guard seen <= AgeArmor.maximumWhitespace else {
                    throw .armor("more than \(AgeArmor.maximumWhitespace) bytes of whitespace after the END line")
                }
            }
            guard !innerEnded else { return }
            try refill()
        }
    }

    /// Strict padded base64 of one line (length a multiple of 4): canonical, with
    /// `=` only at the end. Returns the decoded length, or nil.
    static func decodeBase64(_ text: UnsafeRawBufferPointer, into target: UnsafeMutableRawPointer) -> Int? {
        let table = AgeArmor.reverse
        let equals = UInt8(ascii: "=")
        var output = 0
        var index = 0
        while index < text.count {
            let a = table[Int(text[index])], b = table[Int(text[index + 1])]
            let c3 = text[index + 2], c4 = text[index + 3]
            guard a != 0xFF, b != 0xFF else { return nil }
            if index + 4 == text.count && c4 == equals {
                if c3 == equals {
                    guard b & 0x0F == 0 else { return nil }
                    target.storeBytes(of: a << 2 | b >> 4, toByteOffset: output, as: UInt8.self)
                    return output + 1
                }
                let c = table[Int(c3)]
                guard c != 0xFF, c & 0x03 == 0 else { return nil }
                target.storeBytes(of: a << 2 | b >> 4, toByteOffset: output, as: UInt8.self)
                target.storeBytes(of: b << 4 | c >> 2, toByteOffset: output + 1, as: UInt8.self)
                return output + 2
            }
            let c = table[Int(c3)], d = table[Int(c4)]
            guard c != 0xFF, d != 0xFF else { return nil }
            target.storeBytes(of: a << 2 | b >> 4, toByteOffset: output, as: UInt8.self)
            target.storeBytes(of: b << 4 | c >> 2, toByteOffset: output + 1, as: UInt8.self)
            target.storeBytes(of: c << 6 | d, toByteOffset: output + 2, as: UInt8.self)
            output += 3
            index += 4
        }
        return output
    }
}
