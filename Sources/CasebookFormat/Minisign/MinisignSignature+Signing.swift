public import CasebookCrypto

extension MinisignSignature {
    /// A prehashed (`ED`) minisign signature of `message`: Ed25519 over its
    /// BLAKE2b-512 hash, and the global signature over that signature ‖ the trusted
    /// comment. Refuses a key id that is not 8 bytes and comments that are not one
    /// line of text without control characters (tab allowed) or are too long.
    public static func signature(
        for message: some ContiguousBytesView, key: borrowing Ed25519.PrivateKey, keyID: [UInt8],
        trustedComment: String, untrustedComment: String
    ) throws(MinisignError) -> MinisignSignature {
        guard keyID.count == 8 else { throw MinisignError(.invalidInput, "a minisign key id has 8 bytes, not \(keyID.count)") }
        for (name, comment, limit) in [("untrusted", untrustedComment, maximumUntrustedCommentByteCount),
                                       ("trusted", trustedComment, maximumTrustedCommentByteCount)] {
            if let problem = problem(inComment: comment, limit: limit) {
                throw MinisignError(.invalidInput, "the \(name) comment \(problem)")
            }
        }
        // 64 is a valid BLAKE2b output length, so hashing cannot fail.
        let digest = try! BLAKE2b.hash(message, byteCount: 64)
        let signature = key.signature(for: digest)
        let global = key.signature(for: signature + Array(trustedComment.utf8))
        return try MinisignSignature(
            algorithm: .prehashed, keyID: keyID, signature: signature, trustedComment: trustedComment,
            globalSignature: global, untrustedComment: untrustedComment)
    }

    /// The text of a prehashed (`ED`) minisign signature file for `message`; see
    /// `signature(for:key:keyID:trustedComment:untrustedComment:)`.
    public static func sign(
        message: some ContiguousBytesView, key: borrowing Ed25519.PrivateKey, keyID: [UInt8],
        trustedComment: String, untrustedComment: String
    ) throws(MinisignError) -> String {
        try signature(for: message, key: key, keyID: keyID, trustedComment: trustedComment, untrustedComment: untrustedComment).rendered()
    }
}
