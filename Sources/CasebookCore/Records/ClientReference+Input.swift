public import CasebookFormat

extension ClientReference {
    /// Validates `text` exactly (no trimming, no case change), with advice when it is close.
    public init(_ text: String) throws(RecordInputError) {
        guard let reference = ClientReference(exactly: text) else {
            var hint = "a reference looks like C-0042 or DDP-2024-117"
            let upper = text.uppercased()
            if upper != text && Self.isValid(upper) {
                hint = "client references use capital letters: \(upper)"
            }
            throw RecordInputError(message: Self.ruleMessage, hint: hint)
        }
        self = reference
    }
}
