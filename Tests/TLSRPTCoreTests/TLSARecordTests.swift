import Testing

@testable import TLSRPTCore

struct TLSARecordTests {
    // In the shape of Microsoft's reports (Tests/Fixtures/microsoft-sts-tlsa.json).
    static let microsoftA = "0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6"
    static let microsoftB = "1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F809"

    @Test func oneRecordPerElement() {
        let (records, problems) = TLSARecord.parseAll(["3 1 1 \(Self.microsoftA)", "2 0 1 \(Self.microsoftB.lowercased())"])
        #expect(
            records == [
                TLSARecord(usage: 3, selector: 1, matchingType: 1, data: Self.microsoftA),
                TLSARecord(usage: 2, selector: 0, matchingType: 1, data: Self.microsoftB),
            ]
        )
        #expect(records[1].data == Self.microsoftB)  // upper-cased
        #expect(problems.isEmpty)
    }

    @Test func microsoftJSONArrayInOneElement() {
        // The exact element of the corpus file, as JSON decoding leaves it.
        let element = "[\"3 1 1 \(Self.microsoftA)\",\"3 1 1 \(Self.microsoftB)\"]"
        let (records, problems) = TLSARecord.parseAll([element])
        #expect(records.map(\.description) == ["3 1 1 \(Self.microsoftA)", "3 1 1 \(Self.microsoftB)"])
        #expect(problems.isEmpty)
    }

    @Test func brokenJSONArrayIsAProblem() {
        let (records, problems) = TLSARecord.parseAll(["[\"3 1 1 AB\", 5"])
        #expect(records.isEmpty)
        #expect(problems.count == 1)
        #expect(problems.first?.contains("JSON array") == true)
    }

    @Test func hexSplitByWhiteSpaceIsJoined() {
        let half = Self.microsoftA.count / 2
        let split = "3 1 1 \(Self.microsoftA.prefix(half))  \(Self.microsoftA.dropFirst(half))"
        #expect(TLSARecord.parseAll([split]).records == [TLSARecord(usage: 3, selector: 1, matchingType: 1, data: Self.microsoftA)])
    }

    @Test func zoneFileLineIsReadFromTheTypeOn() {
        let line = "_25._tcp.mx.example.com. 3600 IN TLSA 3 1 1 \(Self.microsoftA)"
        #expect(TLSARecord.parseAll([line]).records.first?.data == Self.microsoftA)
    }

    @Test func elementsWithLineBreaksHoldSeveralRecords() {
        let (records, problems) = TLSARecord.parseAll(["3 1 1 \(Self.microsoftA)\r\n3 1 1 \(Self.microsoftB)\n"])
        #expect(records.count == 2)
        #expect(problems.isEmpty)
    }

    @Test(arguments: ["3 1 1", "3 1 \(microsoftA)", "x 1 1 AB", "3 1 256 AB", "3 -1 1 AB", "3 1 1 XYZ", "3 1 1 ABC", "+3 1 1 AB"])
    func unreadableLinesAreSkippedWithAProblem(line: String) {
        let (records, problems) = TLSARecord.parseAll([line])
        #expect(records.isEmpty)
        #expect(problems.count == 1)
    }

    @Test func wrongDigestLengthAndUnassignedValuesAreKeptAndFlagged() {
        let (records, problems) = TLSARecord.parseAll(["3 1 1 ABCD", "4 2 3 ABCD", "3 1 0 3082010A"])
        #expect(records.count == 3)
        #expect(problems.count == 4)
        #expect(problems[0].contains("SHA-256"))
    }

    @Test func emptyInputHasNoRecordsAndNoProblems() {
        let (records, problems) = TLSARecord.parseAll([])
        #expect(records.isEmpty && problems.isEmpty)
        #expect(TLSARecord.parseAll(["", "  "]).problems.isEmpty)
    }
}
