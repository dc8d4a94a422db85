import CasebookCrypto

/// How `Age.decrypt` should treat its input.
public enum AgeInputFormat: Sendable {
    /// Armored if, after optional whitespace, the input starts with `-`; binary otherwise.
    case automatic
    /// A binary age file (starts with `age-encryption.org/v1`).
    case binary
    /// An ASCII-armored file (`-----BEGIN AGE ENCRYPTED FILE-----`).
    case armored
}

/// age v1 file encryption (C2SP age, https://age-encryption.org/v1): X25519 and
/// passphrase (scrypt) recipients, STREAM payload, optional ASCII armor.
///
/// Streaming functions keep memory bounded (a few batches of 16 × 64 KiB chunks) whatever the
/// file size. Decryption writes plaintext chunk by chunk as each authenticates: if
/// it fails part-way, the sink has received everything before the failing chunk,
/// so a caller writing to a file must discard that output on error.
public enum Age {
    // MARK: Streaming

    /// Encrypts everything `source` yields to `recipients`, writing the age file to `sink`.
    public static func encrypt(
        from source: inout some ByteSource,
        to sink: inout some ByteSink,
        recipients: [any AgeRecipient],
        armor: Bool
    ) throws(AgeError) {
        if armor {
            var armored = ArmorEncodingSink(sink)
            defer { sink = armored.inner }
            try encryptBinary(from: &source, to: &armored, recipients: recipients)
            do {
                try armored.finish()
            } catch let error as AgeError {
                throw error
            } catch {
                throw .io("writing the output failed: \(error)")
            }
        } else {
            try encryptBinary(from: &source, to: &sink, recipients: recipients)
        }
    }

    /// Decrypts the age file in `source` (binary or armored, detected automatically),
    /// writing the plaintext to `sink`.
    public static func decrypt(
        from source: inout some ByteSource,
        to sink: inout some ByteSink,
        identities: [any AgeIdentity]
    ) throws(AgeError) {
        try decrypt(from: &source, to: &sink, identities: identities, format: .automatic)
    }

    /// Decrypts, treating the input as `format`.
    public static func decrypt(
        from source: inout some ByteSource,
        to sink: inout some ByteSink,
        identities: [any AgeIdentity],
        format: AgeInputFormat
    ) throws(AgeError) {
        var armored: Bool
        var prefix: [UInt8] = []
        switch format {
        case .binary: armored = false
        case .armored: armored = true
        case .automatic:
            prefix = [UInt8](repeating: 0, count: AgeArmor.maximumWhitespace + 1)
            let count = try typedThrows { try prefix.withUnsafeMutableBytes { raw in try readAll(raw, from: &source) } }
            prefix.removeSubrange(count...)
            let first = prefix.firstIndex { !AgeArmor.isWhitespace($0) }
            armored = first.map { prefix[$0] == UInt8(ascii: "-") } ?? false
        }
        let input = PrefixedSource(prefix: prefix, inner: source)
        if armored {
            var reader = AgeInputReader(ArmorDecodingSource(input))
            defer { source = reader.source.inner.inner }
            try decryptBinary(from: &reader, to: &sink, identities: identities)
        } else {
            var reader = AgeInputReader(input)
            defer { source = reader.source.inner }
            try decryptBinary(from: &reader, to: &sink, identities: identities)
        }
    }

    // MARK: In memory

    /// Encrypts `plaintext` to `recipients`; returns the age file.
    public static func encrypt(
        _ plaintext: [UInt8], to recipients: [any AgeRecipient], armor: Bool = false
    ) throws(AgeError) -> [UInt8] {
        var source = ArraySource(plaintext)
        var sink = ArraySink()
        try encrypt(from: &source, to: &sink, recipients: recipients, armor: armor)
        return sink.bytes
    }

    /// Decrypts an age file (binary or armored). On failure no plaintext is returned
    /// (what was decrypted before the failure is wiped).
    public static func decrypt(_ file: [UInt8], identities: [any AgeIdentity]) throws(AgeError) -> [UInt8] {
        var source = ArraySource(file)
        return try decrypt(from: &source, identities: identities, limit: .max, sizeHint: file.count)
    }

    /// Decrypts the age file in `source` into memory, stopping with `.plaintextTooLarge` as
    /// soon as the plaintext would exceed `limit` bytes: chunks are authenticated and kept one
    /// at a time, so an oversized file costs at most `limit` bytes and one batch, never its
    /// whole size, and the file itself is never held. The buffer is reserved once, for
    /// `sizeHint` bytes (the file's size: the plaintext is smaller) or else `limit`, instead
    /// of growing by copies that would briefly hold it three times; reserved pages that are
    /// never written cost no memory. On failure no plaintext is returned (what was decrypted
    /// is wiped).
    public static func decrypt(
        from source: inout some ByteSource, identities: [any AgeIdentity], limit: Int, sizeHint: Int? = nil
    ) throws(AgeError) -> [UInt8] {
        var sink = LimitedArraySink(limit: limit, reserving: min(limit, sizeHint ?? limit))
        do {
            try decrypt(from: &source, to: &sink, identities: identities)
        } catch {
            sink.wipe()
            throw error
        }
        return sink.bytes
    }

    // MARK: Implementation

    static func encryptBinary(
        from source: inout some ByteSource, to sink: inout some ByteSink, recipients: [any AgeRecipient]
    ) throws(AgeError) {
        guard !recipients.isEmpty else { throw .invalidRecipients("no recipients were given") }
        if recipients.count > 1 && recipients.contains(where: { $0.mustBeOnlyRecipient }) {
            throw .invalidRecipients("a passphrase cannot be combined with other recipients")
        }
        let fileKey = AgeKeySchedule.newFileKey()
        var stanzas: [AgeStanza] = []
        for recipient in recipients {
            let wrapped = try recipient.wrap(fileKey: fileKey)
            guard !wrapped.isEmpty else { throw .invalidRecipients("a recipient produced no stanza") }
            stanzas += wrapped
        }
        if stanzas.count > 1 && recipients.contains(where: { $0.mustBeOnlyRecipient }) {
            throw .invalidRecipients("a passphrase stanza must be the only stanza")
        }
        var header = AgeHeader(stanzas: stanzas, mac: [])
        header.mac = AgeKeySchedule.headerMAC(fileKey: fileKey, macInput: try header.encodedForMAC())
        let nonce = SecureRandom.bytes(AgeKeySchedule.payloadNonceByteCount)
        let prelude = try header.encoded() + nonce
        try typedThrows { try prelude.withUnsafeBytes { raw in try writeAll(raw, to: &sink) } }
        let payloadKey = AgeKeySchedule.payloadKey(fileKey: fileKey, nonce: nonce)
        try AgeStream.encrypt(from: &source, to: &sink, key: payloadKey)
    }

    static func decryptBinary<Source: ByteSource>(
        from reader: inout AgeInputReader<Source>, to sink: inout some ByteSink, identities: [any AgeIdentity]
    ) throws(AgeError) {
        let (header, macInput) = try AgeHeader.read(from: &reader)
        let fileKey = try unwrapFileKey(header.stanzas, identities: identities)
        guard ConstantTime.equals(AgeKeySchedule.headerMAC(fileKey: fileKey, macInput: macInput), header.mac) else {
            throw .headerMAC
        }
        var nonce = [UInt8](repeating: 0, count: AgeKeySchedule.payloadNonceByteCount)
        let count = try typedThrows { try nonce.withUnsafeMutableBytes { raw in try reader.readFull(into: raw) } }
        guard count == nonce.count else {
            throw .header("the file is truncated: the payload nonce after the header is missing")
        }
        let payloadKey = AgeKeySchedule.payloadKey(fileKey: fileKey, nonce: nonce)
        try AgeStream.decrypt(from: &reader, to: &sink, key: payloadKey)
    }

    /// The file key from the first identity that unwraps a stanza (identities in
    /// order, each over all stanzas, as the reference implementation does).
    static func unwrapFileKey(_ stanzas: [AgeStanza], identities: [any AgeIdentity]) throws(AgeError) -> SecureBytes {
        if stanzas.count > 1 && stanzas.contains(where: { $0.type == AgeStanzaType.scrypt }) {
            throw .header("a passphrase (scrypt) stanza must be the only stanza in the header")
        }
        for identity in identities {
            if let fileKey = try identity.unwrap(stanzas: stanzas) {
                guard fileKey.count == AgeKeySchedule.fileKeyByteCount else {
                    throw .header("an identity unwrapped a file key of \(fileKey.count) bytes, not 16")
                }
                return fileKey
            }
        }
        if let unsupported = stanzas.first(where: { AgeStanzaType.knownUnsupported.contains($0.type) }) {
            throw .unsupportedRecipientType(unsupported.type)
        }
        throw .noMatch
    }
}
