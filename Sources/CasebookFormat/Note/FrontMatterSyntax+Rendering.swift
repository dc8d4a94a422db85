/// Writing front-matter scalars so that they read back unchanged.
extension FrontMatterSyntax {
    /// `text` as a plain scalar when the parser reads that back unchanged, else double-quoted.
    static func renderScalar(_ text: String, inFlowList: Bool) -> String {
        needsQuotes(text, inFlowList: inFlowList) ? doubleQuoted(text) : text
    }

    static func needsQuotes(_ text: String, inFlowList: Bool) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return true }
        if isSpace(first) || isSpace(last) || indicators.contains(first) || last == ":" { return true }
        for (index, scalar) in scalars.enumerated() {
            if needsEscape(scalar) { return true }
            if scalar == ":" && index + 1 < scalars.count && isSpace(scalars[index + 1]) { return true }
            if scalar == "#" && index > 0 && isSpace(scalars[index - 1]) { return true }
            // In a flow list, YAML 1.1 parsers end a plain scalar at '?' and at some ':', so
            // those are quoted too.
            if inFlowList && ",[]{}?:".unicodeScalars.contains(scalar) {
                return true
            }
        }
        return false
    }

    /// Characters written as escapes inside double quotes: controls, and characters some
    /// YAML parsers treat as line breaks or byte order marks.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F, 0x85, 0x2028, 0x2029, 0xFEFF: return true
        default: return false
        }
    }

    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if needsEscape(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }
}
