import Testing
import CasebookFormat

/// What Format leaves to the domain: values are read, not interpreted.
@Suite struct RecordJSONObjectTests {
    private func read(_ line: String) throws -> RecordJSONObject {
        try RecordJSONObject(parsing: Array(line.utf8), lineNumber: 1)
    }

    @Test func absentKeysReadAsEmpty() throws {
        #expect(try read("{}") == RecordJSONObject())
        #expect(try read(#"{"kind":""}"#).kind == "")
    }

    @Test func durationIsReadWithoutItsRange() throws {
        #expect(try read(#"{"duration":-1}"#).duration == -1)
        #expect(try read(#"{"duration":999999999999}"#).duration == 999_999_999_999)
        #expect(try read(#"{"duration":9999999999999}"#).duration == Int.max)
        #expect(try read(#"{"duration":-99999999999999999999999}"#).duration == Int.min)
        #expect(try read(#"{"duration":0}"#).duration == 0)
    }

    @Test func everyInputFormReadsTheSame() throws {
        let line = #"{"kind":"k","labels":["a","b"],"sections":{"x":"y"}}"#
        let expected = try read(line)
        #expect(try RecordJSONObject(parsing: line.utf8, lineNumber: 1) == expected)
        #expect(try RecordJSONObject(parsing: Array(line.utf8)[...], lineNumber: 1) == expected)
        let raw = try Array(line.utf8).withUnsafeBytes { try RecordJSONObject(parsing: $0, lineNumber: 1) }
        #expect(raw == expected)
    }

    @Test func lineWriterEscapesAndOrders() throws {
        let object = RecordJSONObject(
            kind: "k", client: "c", start: "s", modality: "m", attendance: "a", sharingSummary: "q\" b\\ t\t \u{1} /",
            sections: ["z": "1", "b": "2", "a": "3"])
        let line = object.line(sectionOrder: ["b", "missing"])
        #expect(line == #"{"kind":"k","client":"c","start":"s","modality":"m","attendance":"a","labels":[],"sharing-summary":"q\" b\\ t\t \u0001 /","sections":{"b":"2","a":"3","z":"1"}}"#)
        #expect(try read(line) == object)
    }
}
