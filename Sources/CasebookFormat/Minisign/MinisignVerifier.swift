public import CasebookCrypto

/// Checks a minisign signature against a message that arrives in pieces (a file
/// read in chunks), or all at once through `MinisignSignature.verify(message:publicKey:)`.
///
/// Creating the verifier already refuses a signature made by another key (key id
/// mismatch) or with a refused algorithm, before any of the message is read.
/// `finalize()` then checks the signature over the message (BLAKE2b-512 of it for
/// `ED`, the message itself for legacy `Ed`) and the global signature over
/// signature ‖ trusted comment. Only when it returns is the trusted comment authentic.
public struct MinisignVerifier: ~Copyable {
    /// Largest message a legacy (`Ed`) signature is checked over: such a message has
    /// to be held in memory whole, as the reference minisign also does.
    public static let legacyMessageByteLimit = 64 << 20

    private let signature: MinisignSignature
    private let publicKey: MinisignPublicKey
    private var hasher: BLAKE2b.Hasher
    private var legacyMessage: [UInt8] = []
    private var legacyOverflow = false

    /// A verifier for `signature` under `publicKey`. With `allowingLegacy` false, only
    /// prehashed (`ED`) signatures are accepted.
    public init(signature: MinisignSignature, publicKey: MinisignPublicKey, allowingLegacy: Bool = true) throws(MinisignError) {
        guard signature.keyID == publicKey.keyID else {
            throw MinisignError(.keyMismatch, "the signature was made with key \(signature.keyIDHex), not with the expected key \(publicKey.keyIDHex)")
        }
        guard signature.algorithm == .prehashed || allowingLegacy else {
            throw MinisignError(.unsupportedAlgorithm, "this is a legacy (Ed) signature; only prehashed (ED) signatures are accepted here")
        }
        self.signature = signature
        self.publicKey = publicKey
        // 64 is within BLAKE2b's 16...64 output lengths, so this cannot fail.
        hasher = try! BLAKE2b.Hasher(byteCount: 64)
    }

    /// Feeds the next piece of the message.
    public mutating func update(_ chunk: some ContiguousBytesView) {
        switch signature.algorithm {
        case .prehashed:
            hasher.update(chunk)
        case .legacy:
            guard !legacyOverflow else { return }
            chunk.withBytes { bytes in
                if legacyMessage.count + bytes.count > Self.legacyMessageByteLimit {
                    legacyOverflow = true
                    legacyMessage = []
                } else {
                    legacyMessage.append(contentsOf: bytes)
                }
            }
        }
    }

    /// Succeeds only if the whole message fed so far is what was signed and the
    /// trusted comment is unaltered.
    public consuming func finalize() throws(MinisignError) {
        let signedOver: [UInt8]
        switch signature.algorithm {
        case .prehashed:
            signedOver = hasher.finalize()
        case .legacy:
            guard !legacyOverflow else {
                throw MinisignError(.messageTooLarge, "the message is larger than \(Self.legacyMessageByteLimit >> 20) MiB, too large for a legacy (Ed) signature")
            }
            signedOver = legacyMessage
        }
        guard publicKey.key.isValidSignature(signature.signature, for: signedOver) else {
            throw MinisignError(.signatureMismatch, "the signature does not match the message: the file was altered, or it is not the file that was signed")
        }
        guard publicKey.key.isValidSignature(signature.globalSignature, for: signature.globallySignedBytes) else {
            throw MinisignError(.trustedCommentMismatch, "the global signature does not match: the trusted comment was altered")
        }
    }
}

extension MinisignSignature {
    /// Verifies this signature of `message` under `publicKey` (see `MinisignVerifier`).
    public func verify(message: some ContiguousBytesView, publicKey: MinisignPublicKey, allowingLegacy: Bool = true) throws(MinisignError) {
        var verifier = try MinisignVerifier(signature: self, publicKey: publicKey, allowingLegacy: allowingLegacy)
        verifier.update(message)
        try verifier.finalize()
    }

    /// Verifies this signature of the message formed by `chunks`, in order.
    public func verify<Chunks: Sequence>(
        chunks: Chunks, publicKey: MinisignPublicKey, allowingLegacy: Bool = true
    ) throws(MinisignError) where Chunks.Element: ContiguousBytesView {
        var verifier = try MinisignVerifier(signature: self, publicKey: publicKey, allowingLegacy: allowingLegacy)
        for chunk in chunks { verifier.update(chunk) }
        try verifier.finalize()
    }
}
