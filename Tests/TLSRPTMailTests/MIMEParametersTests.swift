import Testing

@testable import TLSRPTMail

struct MIMEParametersTests {
    private func parameters(_ value: String) -> MIMEParameters {
        MIMEParameters.parse(Array(value.utf8)[...]).parameters
    }

    @Test func quotedUnquotedAndCase() {
        let parsed = parameters(#"multipart/report; Boundary="a;b"; REPORT-TYPE=tlsrpt"#)
        #expect(parsed["boundary"] == "a;b")
        #expect(parsed["report-type"] == "tlsrpt")
        #expect(parsed["Report-Type"] == "tlsrpt")
        #expect(parsed.parameters.map(\.name) == ["boundary", "report-type"])
    }

    @Test func escapesInQuotedStrings() {
        #expect(parameters(#"x; name="a \"quoted\" \\ name.json""#)["name"] == #"a "quoted" \ name.json"#)
    }

    @Test func tolerantOfSloppySyntax() {
        let parsed = parameters("x;; name = report.json ;boundary=\"b\" report-type=tlsrpt; flag; empty=")
        #expect(parsed["name"] == "report.json")
        #expect(parsed["boundary"] == "b")
        #expect(parsed["report-type"] == "tlsrpt")
        #expect(parsed["empty"] == "")
        #expect(parsed["flag"] == nil)
    }

    @Test func firstOccurrenceWins() {
        #expect(parameters("x; a=1; a=2")["a"] == "1")
    }

    /// RFC 2231 §3: continuations joined in number order, whatever the order sent.
    @Test func continuations() {
        #expect(parameters(#"x; name*1="b.json"; name*0="a""#)["name"] == "ab.json")
    }

    /// RFC 2231 §4: charset and language, percent-encoding, mixed encoded and plain sections.
    @Test func charsetAndPercentEncoding() {
        #expect(parameters("x; filename*=utf-8''%E2%82%AC%20rates.json")["filename"] == "€ rates.json")
        #expect(parameters("x; filename*=UTF-8'de'stra%C3%9Fe.json")["filename"] == "straße.json")
        #expect(parameters("x; filename*0*=utf-8''%C3%A4; filename*1=%41; filename*2*=%42")["filename"] == "ä%41B")
        #expect(parameters("x; filename*=''plain%2Ejson")["filename"] == "plain.json")
        #expect(parameters("x; filename*=windows-1252''%80.json")["filename"] == "€.json")
    }

    @Test func extendedFormWinsOverPlain() {
        #expect(parameters("x; filename=\"fallback.json\"; filename*=utf-8''real.json")["filename"] == "real.json")
    }

    @Test func invalidPercentEscapesAreKept() {
        #expect(parameters("x; filename*=utf-8''100%.json%2")["filename"] == "100%.json%2")
    }
}
