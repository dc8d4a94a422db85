/// Buffered reading over a `ByteSource`: lines for the header parser, then large
/// reads for the payload that bypass the buffer. Holds only public bytes (header
/// text and ciphertext), so its buffer is ordinary memory.
struct AgeInputReader<Source: ByteSource>: ~Copyable {
    /// The wrapped source; read it back after use to return the caller's source.
    var source: Source
    private let storage: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var reachedEnd = false

    enum Line {
        /// A line, without its terminating LF.
        case line([UInt8])
        /// The input ended before a LF; these bytes were left.
        case unterminated([UInt8])
        /// More than the allowed number of bytes without a LF.
        case tooLong
    }

    init(_ source: Source, capacity: Int = 4096) {
        self.source = source
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    /// Reads up to and including the next LF, allowing at most `maxLength` bytes before it.
    mutating func readLine(maxLength: Int) throws(AgeError) -> Line {
        var line: [UInt8] = []
        while true {
            if start == end {
                guard try fill() else { return .unterminated(line) }
            }
            let available = storage[start..<end]
            if let newline = available.firstIndex(of: 10) {
                line.append(contentsOf: storage[start..<newline])
                start = newline + 1
                return line.count <= maxLength ? .line(line) : .tooLong
            }
            line.append(contentsOf: available)
            start = end
            if line.count > maxLength { return .tooLong }
        }
    }

    /// Fills `buffer` from buffered bytes, then from the source, until it is full or
    /// the input ends. Returns the number of bytes read.
    mutating func readFull(into buffer: UnsafeMutableRawBufferPointer) throws(AgeError) -> Int {
        var filled = 0
        if start < end {
            let count = min(end - start, buffer.count)
            buffer.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: count)
            start += count
            filled = count
        }
        while filled < buffer.count && !reachedEnd {
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
            let count = try readSource(into: target)
            if count == 0 { reachedEnd = true }
            filled += count
        }
        return filled
    }

    private mutating func fill() throws(AgeError) -> Bool {
        guard !reachedEnd else { return false }
        start = 0
        end = try readSource(into: storage)
        if end == 0 { reachedEnd = true }
        return end > 0
    }

    private mutating func readSource(into buffer: UnsafeMutableRawBufferPointer) throws(AgeError) -> Int {
        do {
            let count = try source.read(into: buffer)
            precondition(count >= 0 && count <= buffer.count, "ByteSource returned an impossible count")
            return count
        } catch let error as AgeError {
            throw error
        } catch {
            throw .io("reading the input failed: \(error)")
        }
    }
}

/// Runs a sink write, turning foreign errors into `AgeError.io`.
func writeAll(_ bytes: UnsafeRawBufferPointer, to sink: inout some ByteSink) throws(AgeError) {
    do {
        try sink.write(bytes)
    } catch let error as AgeError {
        throw error
    } catch {
        throw .io("writing the output failed: \(error)")
    }
}

/// Runs a source read until full or end, turning foreign errors into `AgeError.io`.
func readAll(_ buffer: UnsafeMutableRawBufferPointer, from source: inout some ByteSource) throws(AgeError) -> Int {
    do {
        return try source.readFull(into: buffer)
    } catch let error as AgeError {
        throw error
    } catch {
        throw .io("reading the input failed: \(error)")
    }
}

/// Runs `body` (typically a `withUnsafe…Bytes` call, which rethrows untyped),
/// keeping `AgeError`s and turning anything else into `AgeError.io`.
func typedThrows<R>(_ body: () throws -> R) throws(AgeError) -> R {
    do {
        return try body()
    } catch let error as AgeError {
        throw error
    } catch {
        throw .io("an input or output operation failed: \(error)")
    }
}
