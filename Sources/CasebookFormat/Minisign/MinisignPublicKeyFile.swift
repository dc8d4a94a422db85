/// A minisign public key file (`minisign.pub`): exactly two LF-terminated lines,
///
///     untrusted comment: minisign public key A309580D3B53714A
///     RWRKcVM7DVgJo2QFSIUG6B9DyPa04JmdKiQUnJeZID8E2H9FJ/DjS3CZ
///
/// The comment is not authenticated by anything; it is kept only to be shown.
public struct MinisignPublicKeyFile: Equatable, Sendable {
    public static let commentPrefix = "untrusted comment: "
    /// Longest comment accepted or written, in UTF-8 bytes (minisign reads comment
    /// lines into 1024-byte buffers, prefix included).
    public static let maximumCommentByteCount = 1000

    public let key: MinisignPublicKey
    public let untrustedComment: String

    /// A key file with the comment minisign itself writes.
    public init(key: MinisignPublicKey) {
        self.key = key
        untrustedComment = "minisign public key \(key.keyIDHex)"
    }

    /// A key file with a chosen comment: one line, no control characters but tab.
    public init(key: MinisignPublicKey, untrustedComment: String) throws(MinisignError) {
        if let problem = MinisignSignature.problem(inComment: untrustedComment, limit: Self.maximumCommentByteCount) {
            throw MinisignError(.invalidInput, "the untrusted comment \(problem)")
        }
        self.key = key
        self.untrustedComment = untrustedComment
    }

    /// Parses a key file strictly: two lines, exact prefix, canonical key line, final LF.
    public init(parsing bytes: some Collection<UInt8>) throws(MinisignError) {
        let lines: [String]
        switch TextLines.split(bytes) {
        case .success(let split): lines = split
        case .failure(let failure): throw failure.minisignError(.malformedPublicKey, what: "public key file")
        }
        guard let comment = TextLines.value(of: lines[0], after: Self.commentPrefix) else {
            throw MinisignError(.malformedPublicKey, line: 1, "the public key file must start with '\(Self.commentPrefix)'")
        }
        if let problem = MinisignSignature.problem(inComment: comment, limit: Self.maximumCommentByteCount) {
            throw MinisignError(.malformedPublicKey, line: 1, "the untrusted comment \(problem)")
        }
        guard lines.count >= 2 else {
            throw MinisignError(.malformedPublicKey, line: 2, "the public key file ends before the key line")
        }
        guard lines.count == 2 else {
            throw MinisignError(.malformedPublicKey, line: 3, "the public key file has more than two lines")
        }
        do {
            key = try MinisignPublicKey(encoded: lines[1])
        } catch {
            throw MinisignError(.malformedPublicKey, line: 2, "the public key \(error.message)")
        }
        untrustedComment = comment
    }

    public init(parsing text: String) throws(MinisignError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// The file's text, both lines LF-terminated.
    public func rendered() -> String {
        Self.commentPrefix + untrustedComment + "\n" + key.encoded + "\n"
    }
}
