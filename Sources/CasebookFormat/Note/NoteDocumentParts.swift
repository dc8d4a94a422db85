/// One `key: value` line (or a key with a block list) of the front matter.
public struct FrontMatterEntry: Equatable, Sendable {
    public var key: String
    public var value: FrontMatterValue
    /// 1-based line number of the key in the whole document.
    public var line: Int

    public init(key: String, value: FrontMatterValue, line: Int) {
        self.key = key
        self.value = value
        self.line = line
    }
}

/// A front-matter value: every scalar is a string (YAML failsafe schema).
public enum FrontMatterValue: Equatable, Sendable {
    case scalar(String)
    case list([String])
}

/// A `## Title` section and its body.
public struct NoteSection: Equatable, Sendable {
    public var title: String
    /// The body without leading or trailing blank lines and without a final newline.
    public var body: String
    /// 1-based line number of the heading in the whole document.
    public var line: Int

    public init(title: String, body: String, line: Int) {
        self.title = title
        self.body = body
        self.line = line
    }
}
