import CasebookCrypto

/// The age payload: STREAM over ChaCha20-Poly1305 with 64 KiB chunks. The 12-byte
/// nonce is an 11-byte big-endian chunk counter followed by 0x01 for the final
/// chunk and 0x00 otherwise. The final chunk may be short, and is empty only when
/// the whole payload is empty.
///
/// Chunks are independent (each has its own nonce), so both directions work a batch of
/// 16 chunks at a time on every core. Memory stays bounded, a few MiB reused for the
/// whole stream: plaintext in secure memory, ciphertext in ordinary memory.
enum AgeStream {
    static let chunkByteCount = 64 * 1024
    static let tagByteCount = ChaCha20Poly1305.tagByteCount
    static let encryptedChunkByteCount = chunkByteCount + tagByteCount

    /// The nonce for chunk `counter`.
    struct Nonce {
        private(set) var bytes = [UInt8](repeating: 0, count: ChaCha20Poly1305.nonceByteCount)
        private(set) var counter: UInt64 = 0

        mutating func setLast(_ last: Bool) {
            bytes[11] = last ? 1 : 0
        }

        mutating func advance() throws(AgeError) {
            guard counter < UInt64.max else { throw .payload("the payload has too many chunks") }
            counter += 1
            // Bytes 0…2 of the 11-byte counter stay zero: 2^64 chunks is unreachable.
            for index in 0..<8 { bytes[3 + index] = UInt8(truncatingIfNeeded: counter >> UInt64(56 - 8 * index)) }
        }
    }

    /// Chunks sealed together, on every core: 1 MiB of plaintext per round.
    static let batchChunkCount = 16

    /// Reads all of `source`, writes the encrypted chunks to `sink`. Chunks are sealed a
    /// batch at a time on every core (each chunk is independent under its own nonce) while
    /// the next batch is read, and written in order. Memory stays bounded: two batches of
    /// plaintext (each with one chunk of read-ahead) and one of ciphertext.
    static func encrypt(
        from source: inout some ByteSource, to sink: inout some ByteSink, key: borrowing SymmetricKey
    ) throws(AgeError) {
        let batch = batchChunkCount
        let slotBytes = (batch + 1) * chunkByteCount
        // Two plaintext buffers: one being sealed, the other being filled.
        var plaintext = SecureBytes(count: 2 * slotBytes)
        let ciphertext = UnsafeMutableRawBufferPointer.allocate(byteCount: batch * encryptedChunkByteCount, alignment: 16)
        defer { ciphertext.deallocate() }
        var nonce = Nonce()
        var current = 0
        // Fills buffer `slot` from `start` up to a batch plus one chunk; returns how many
        // bytes it holds and whether the input ended.
        func fill(_ buffer: UnsafeMutableRawBufferPointer, slot: Int, from start: Int) throws(AgeError) -> (Int, Bool) {
            let region = UnsafeMutableRawBufferPointer(rebasing: buffer[(slot * slotBytes + start)..<((slot + 1) * slotBytes)])
            let got = try readAll(region, from: &source)
            return (start + got, got < region.count)
        }
        var (pending, atEnd) = try typedThrows { try plaintext.withUnsafeMutableBytes { buffer in try fill(buffer, slot: 0, from: 0) } }
        while true {
            // With input left over beyond this batch, all of its chunks are full and none is final.
            let needed = pending == 0 ? 1 : (pending + chunkByteCount - 1) / chunkByteCount
            let final = atEnd && needed <= batch
            let count = final ? needed : batch
            var next: Result<(Int, Bool), AgeError> = .success((0, true))
            let written = try typedThrows { try plaintext.withUnsafeMutableBytes { buffer in
                let base = current * slotBytes
                var chunks: [ChaCha20Poly1305.Chunk] = []
                chunks.reserveCapacity(count)
                var outputEnd = 0
                for index in 0..<count {
                    let start = base + index * chunkByteCount
                    let length = min(chunkByteCount, pending - index * chunkByteCount)
                    let isLast = final && index == count - 1
                    nonce.setLast(isLast)
                    outputEnd = index * encryptedChunkByteCount + length + tagByteCount
                    chunks.append(.init(input: UnsafeRawBufferPointer(rebasing: buffer[start..<(start + length)]),
                                        nonce: nonce.bytes,
                                        output: UnsafeMutableRawBufferPointer(rebasing: ciphertext[(index * encryptedChunkByteCount)..<outputEnd])))
                    if !isLast { try nonce.advance() }
                }
                do {
                    try ChaCha20Poly1305.encryptConcurrently(chunks, using: key) {
                        guard !final else { return }
                        // Meanwhile: move the read-ahead (what follows this batch, at most one
                        // chunk) to the other buffer, and fill it.
                        let other = 1 - current
                        let leftover = pending - batch * chunkByteCount
                        (buffer.baseAddress! + other * slotBytes)
                            .copyMemory(from: buffer.baseAddress! + base + batch * chunkByteCount, byteCount: leftover)
                        next = atEnd ? .success((leftover, true))
                            : Result { () throws(AgeError) in try fill(buffer, slot: other, from: leftover) }
                    }
                } catch {
                    throw AgeError.io("encryption failed: \(error)")
                }
                return outputEnd
            } }
            try writeAll(UnsafeRawBufferPointer(rebasing: ciphertext[0..<written]), to: &sink)
            if final { return }
            (pending, atEnd) = try next.get()
            current = 1 - current
        }
    }

    /// Decrypts the chunks from `reader` a batch at a time, authenticating the batch's
    /// chunks on every core, and writes each authenticated chunk's plaintext to `sink` in
    /// order. On failure, everything before the failing chunk has been written, and
    /// nothing after (as when decrypting one chunk at a time).
    static func decrypt<Source: ByteSource>(
        from reader: inout AgeInputReader<Source>, to sink: inout some ByteSink, key: borrowing SymmetricKey
    ) throws(AgeError) {
        let batch = batchChunkCount
        // One byte of read-ahead tells whether anything follows the batch.
        let capacity = batch * encryptedChunkByteCount + 1
        let ciphertext = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { ciphertext.deallocate() }
        var plaintext = SecureBytes(count: batch * chunkByteCount)
        var nonce = Nonce()
        var carried = 0
        while true {
            let got = try reader.readFull(into: UnsafeMutableRawBufferPointer(rebasing: ciphertext[carried..<capacity]))
            let more = carried + got == capacity
            let bytes = more ? capacity - 1 : carried + got
            if bytes == 0 {
                throw .payload(nonce.counter == 0
                    ? "the file is truncated: it has no payload after the header"
                    : "the file is truncated after chunk \(nonce.counter) (no final chunk)")
            }
            // With data beyond the batch, its chunks are all full and none is final; at the
            // end of the input, the last chunk read is the final one (full or short).
            let count = more ? batch : (bytes + encryptedChunkByteCount - 1) / encryptedChunkByteCount
            let first = nonce.counter
            var nonces: [[UInt8]] = []
            var chunks: [ChaCha20Poly1305.Chunk] = []
            try typedThrows { try plaintext.withUnsafeMutableBytes { output in
                for index in 0..<count {
                    let start = index * encryptedChunkByteCount
                    let length = min(encryptedChunkByteCount, bytes - start)
                    nonce.setLast(!more && index == count - 1)
                    nonces.append(nonce.bytes)
                    chunks.append(.init(input: UnsafeRawBufferPointer(rebasing: ciphertext[start..<(start + length)]), nonce: nonce.bytes,
                                        output: UnsafeMutableRawBufferPointer(rebasing: output[(index * chunkByteCount)..<((index + 1) * chunkByteCount)])))
                    if index < count - 1 { try nonce.advance() }
                }
            } }
            let results: [Int?]
            do {
                results = try ChaCha20Poly1305.decryptConcurrently(chunks, using: key)
            } catch {
                throw .io("decryption failed: \(error)")
            }
            for index in 0..<count {
                let chunkNumber = first + UInt64(index) + 1
                let isLast = !more && index == count - 1
                let length = chunks[index].input.count
                if isLast && chunkNumber > 1 && length == tagByteCount {
                    throw .payload("the final chunk is empty, which only an empty file may have")
                }
                var produced = results[index]
                var problem: AgeError?
                if produced == nil && length == encryptedChunkByteCount {
                    // A full chunk that authenticates only with the other final flag: the
                    // file was cut after it, or data was appended after the real end.
                    var other = nonces[index]
                    other[11] ^= 1
                    produced = try? plaintext.withUnsafeMutableBytes { output in
                        try ChaCha20Poly1305.decrypt(chunks[index].input, using: key, nonce: other, authenticating: [UInt8](),
                                                     into: UnsafeMutableRawBufferPointer(rebasing: output[(index * chunkByteCount)...]))
                    }
                    if produced != nil {
                        problem = isLast ? .payload("the file is truncated after chunk \(chunkNumber) (no final chunk)")
                                         : .payload("there is data after the final chunk")
                    }
                }
                guard let produced else {
                    throw .payload("chunk \(chunkNumber) does not authenticate (altered, truncated or not from this file)")
                }
                try typedThrows { try plaintext.withUnsafeBytes { buffer in
                    try writeAll(UnsafeRawBufferPointer(rebasing: buffer[(index * chunkByteCount)..<(index * chunkByteCount + produced)]), to: &sink)
                } }
                if let problem { throw problem }
            }
            if !more { return }
            try nonce.advance()
            ciphertext[0] = ciphertext[capacity - 1]
            carried = 1
        }
    }

    private static func slotBuffer(_ buffer: UnsafeMutableRawBufferPointer, _ slot: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: buffer[(slot * chunkByteCount)..<((slot + 1) * chunkByteCount)])
    }
}
