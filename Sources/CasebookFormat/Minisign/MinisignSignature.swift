/// A minisign signature file (`FILE.minisig`), exactly four LF-terminated lines:
///
///     untrusted comment: <free text, not authenticated>
///     base64(signature algorithm (2) ‖ key id (8) ‖ signature (64))
///     trusted comment: <free text, authenticated by the global signature>
///     base64(global signature (64))
///
/// The algorithm is `ED` (the signature covers BLAKE2b-512 of the file; what
/// Casebook writes) or the legacy `Ed` (the signature covers the file itself).
/// The global signature covers signature (64) ‖ trusted comment (its UTF-8 bytes).
/// Format: https://jedisct1.github.io/minisign/.
///
/// Parsing is strict: exact prefixes, canonical padded base64, exact lengths, one
/// of the two algorithms, comments of one line without control characters (a tab
/// is allowed: minisign's own trusted comments use tabs), no CR, final LF, nothing after.
public struct MinisignSignature: Equatable, Sendable {
    public enum Algorithm: String, Sendable {
        /// `ED`: Ed25519 over BLAKE2b-512(message).
        case prehashed = "ED"
        /// `Ed`: Ed25519 over the message itself.
        case legacy = "Ed"
    }

    public static let untrustedCommentPrefix = "untrusted comment: "
    public static let trustedCommentPrefix = "trusted comment: "
    /// Longest untrusted comment accepted or written, in UTF-8 bytes (minisign reads
    /// it into a 1024-byte buffer, prefix included).
    public static let maximumUntrustedCommentByteCount = 1000
    /// Longest trusted comment accepted or written, in UTF-8 bytes (minisign's buffer: 8192).
    public static let maximumTrustedCommentByteCount = 8000

    public let algorithm: Algorithm
    /// The signer's 8-byte key id, as in their public key.
    public let keyID: [UInt8]
    /// The Ed25519 signature over the message (or its BLAKE2b-512 hash).
    public let signature: [UInt8]
    public let trustedComment: String
    /// The Ed25519 signature over `signature` ‖ `trustedComment`.
    public let globalSignature: [UInt8]
    public let untrustedComment: String

    /// A signature from its parts; the comments must be acceptable one-line texts.
    public init(
        algorithm: Algorithm, keyID: [UInt8], signature: [UInt8], trustedComment: String,
        globalSignature: [UInt8], untrustedComment: String
    ) throws(MinisignError) {
        guard keyID.count == 8 else { throw MinisignError(.invalidInput, "a minisign key id has 8 bytes, not \(keyID.count)") }
        guard signature.count == 64, globalSignature.count == 64 else {
            throw MinisignError(.invalidInput, "an Ed25519 signature has 64 bytes")
        }
        if let problem = Self.problem(inComment: untrustedComment, limit: Self.maximumUntrustedCommentByteCount) {
            throw MinisignError(.invalidInput, "the untrusted comment \(problem)")
        }
        if let problem = Self.problem(inComment: trustedComment, limit: Self.maximumTrustedCommentByteCount) {
            throw MinisignError(.invalidInput, "the trusted comment \(problem)")
        }
        self.algorithm = algorithm
        self.keyID = keyID
        self.signature = signature
        self.trustedComment = trustedComment
        self.globalSignature = globalSignature
        self.untrustedComment = untrustedComment
    }

    /// The signer's key id as minisign prints it.
    public var keyIDHex: String { MinisignPublicKey.hex(keyID: keyID) }

    /// Parses a signature file strictly (see the type's description).
    public init(parsing bytes: some Collection<UInt8>) throws(MinisignError) {
        let lines: [String]
        switch TextLines.split(bytes) {
        case .success(let split): lines = split
        case .failure(let failure): throw failure.minisignError(.malformedSignature, what: "signature file")
        }
        func fail(_ line: Int, _ message: String) -> MinisignError { MinisignError(.malformedSignature, line: line, message) }
        func line(_ number: Int, _ what: String) throws(MinisignError) -> String {
            guard number <= lines.count else { throw fail(number, "the signature file ends before the \(what)") }
            return lines[number - 1]
        }

        let first = try line(1, "untrusted comment")
        guard let untrusted = TextLines.value(of: first, after: Self.untrustedCommentPrefix) else {
            throw fail(1, "a minisign signature file must start with '\(Self.untrustedCommentPrefix)'")
        }
        if let problem = Self.problem(inComment: untrusted, limit: Self.maximumUntrustedCommentByteCount) {
            throw fail(1, "the untrusted comment \(problem)")
        }

        let second = try line(2, "signature line")
        guard let raw = Base64.decode(second) else { throw fail(2, "the signature line is not canonical base64") }
        guard raw.count == 74 else {
            throw fail(2, "the signature line holds \(raw.count) bytes, expected 74 (algorithm, key id, signature)")
        }
        guard let algorithm = [Algorithm.prehashed, .legacy].first(where: { raw[0..<2].elementsEqual($0.rawValue.utf8) }) else {
            throw MinisignError(.unsupportedAlgorithm, line: 2, "the signature algorithm is not ED (prehashed) or Ed (legacy)")
        }

        let third = try line(3, "trusted comment")
        guard let trusted = TextLines.value(of: third, after: Self.trustedCommentPrefix) else {
            throw fail(3, "the third line must start with '\(Self.trustedCommentPrefix)'")
        }
        if let problem = Self.problem(inComment: trusted, limit: Self.maximumTrustedCommentByteCount) {
            throw fail(3, "the trusted comment \(problem)")
        }

        let fourth = try line(4, "global signature")
        guard let global = Base64.decode(fourth) else { throw fail(4, "the global signature is not canonical base64") }
        guard global.count == 64 else { throw fail(4, "the global signature holds \(global.count) bytes, expected 64") }
        guard lines.count == 4 else { throw fail(5, "the signature file has more than four lines") }

        self.algorithm = algorithm
        keyID = Array(raw[2..<10])
        signature = Array(raw[10..<74])
        trustedComment = trusted
        globalSignature = global
        untrustedComment = untrusted
    }

    public init(parsing text: String) throws(MinisignError) {
        try self.init(parsing: Array(text.utf8))
    }

    /// The signature file's text, four LF-terminated lines.
    public func rendered() -> String {
        Self.untrustedCommentPrefix + untrustedComment + "\n"
            + Base64.encode(Array(algorithm.rawValue.utf8) + keyID + signature) + "\n"
            + Self.trustedCommentPrefix + trustedComment + "\n"
            + Base64.encode(globalSignature) + "\n"
    }

    /// The bytes the global signature covers: signature ‖ trusted comment.
    var globallySignedBytes: [UInt8] { signature + Array(trustedComment.utf8) }

    /// Why `comment` cannot be a one-line minisign comment, or nil if it can.
    static func problem(inComment comment: String, limit: Int) -> String? {
        if let problem = TextLines.problem(inLineText: comment, allowingTab: true) { return problem }
        let count = comment.utf8.count
        if count > limit { return "is \(count) bytes long; at most \(limit) are allowed" }
        return nil
    }
}
