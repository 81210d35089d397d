import Foundation
import TLSRPTTestSupport
import Testing

@testable import TLSRPTMail

/// Every `.eml` in the shared corpus, with values measured independently: provenance read off
/// the files by eye, dates converted with Python's `email.utils`, payload lengths from Python's
/// `email` module (`get_payload(decode=True)`, with `sum(payload)` as a fingerprint).
@Suite(.enabled(if: Fixtures.hasSharedCorpus, Fixtures.sharedCorpusAbsent))
struct CorpusTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var path: String
        var domain: String
        var submitter: String
        var subject: String
        var reportID: String
        var messageID: String?
        var dateRaw: String
        var epoch: TimeInterval
        var from: String
        var mediaType: String
        var filename: String
        var kind: PayloadKind
        var length: Int
        /// Sum of the payload's bytes: a cheap fingerprint that catches a wrong byte, not only a wrong length.
        var byteSum: Int
        var testDescription: String { path }
    }

    static let cases: [Case] = [
        Case(
            path: "mail-auth/rpt01.eml", domain: "example.net", submitter: "mail.sender.example.com",
            subject: "Report Domain: example.net    Submitter: mail.sender.example.com    Report-ID: <735ff.e317+bf22029@example.net>",
            reportID: "735ff.e317+bf22029@example.net", messageID: nil, dateRaw: "Fri, May 09 2017 16:54:30 -0800",
            epoch: 1_494_377_670, from: "tlsrpt@mail.sender.example.com", mediaType: "application/tlsrpt+gzip",
            filename: "mail.sender.example!example.com!1013662812!1013749130.json.gz", kind: .gzip, length: 682, byteSum: 84905),
        Case(
            path: "mail-auth/rpt02.eml", domain: "example.net", submitter: "mail.sender.example.com",
            subject: "Report Domain: example.net    Submitter: mail.sender.example.com    Report-ID: <735ff.e317+bf22029@example.net>",
            reportID: "735ff.e317+bf22029@example.net", messageID: nil, dateRaw: "Fri, May 09 2017 16:54:30 -0800",
            epoch: 1_494_377_670, from: "tlsrpt@mail.sender.example.com", mediaType: "application/tlsrpt",
            filename: "mail.sender.example!example.com!1013662812!1013749130.json", kind: .json, length: 1166, byteSum: 71524),
        Case(
            path: "mail-tls-rpt/email.eml", domain: "fastmaildmarc.com", submitter: "google.com",
            subject: "Report Domain: fastmaildmarc.com Submitter: google.com Report-ID: <2020.03.02T00.00.00Z+fastmaildmarc.com@google.com>",
            reportID: "2020.03.02T00.00.00Z+fastmaildmarc.com@google.com", messageID: "<00000000000013b408059ff0b6f0@google.com>",
            dateRaw: "Tue, 03 Mar 2020 02:24:39 -0800", epoch: 1_583_231_079, from: "noreply-smtp-tls-reporting@google.com",
            mediaType: "application/tlsrpt+gzip", filename: "google.com!fastmaildmarc.com!1583107200!1583193599!001.json.gz",
            kind: .gzip, length: 247, byteSum: 29606),
        Case(
            path: "mox/example.eml", domain: "test.xmox.nl", submitter: "google.com",
            subject: "Report Domain: test.xmox.nl Submitter: google.com Report-ID: <2022.09.15T00.00.00Z+test.xmox.nl@google.com>",
            reportID: "2022.09.15T00.00.00Z+test.xmox.nl@google.com", messageID: "<000000000000f47cc505e8c8905c@google.com>",
            dateRaw: "Fri, 16 Sep 2022 03:10:06 -0700", epoch: 1_663_323_006, from: "noreply-smtp-tls-reporting@google.com",
            mediaType: "application/tlsrpt+gzip", filename: "google.com!test.xmox.nl!1663200000!1663286399!001.json.gz",
            kind: .gzip, length: 306, byteSum: 36998),
        Case(
            path: "mox/microsoft.eml", domain: "test.xmox.nl", submitter: "microsoft.com",
            subject: "Report Domain: test.xmox.nl Submitter: microsoft.com Report-ID: 133198585438131172+test.xmox.nl",
            reportID: "133198585438131172+test.xmox.nl", messageID: "<133198585438131172+test.xmox.nl@test.xmox.nl>",
            dateRaw: "Fri, 3 Feb 2023 05:09:22 +0000", epoch: 1_675_400_962, from: "<tlsrpt-noreply@microsoft.com>",
            mediaType: "application/tlsrpt+gzip",
            filename: "microsoft.com!test.xmox.nl!1673308800!1673395199!133198585438131172.json.gz", kind: .gzip, length: 313, byteSum: 37616),
        Case(
            path: "parsedmarc/google.com_smtp_tls_report.eml", domain: "cardinalhealth.ca", submitter: "google.com",
            subject: "Report Domain: cardinalhealth.ca Submitter: google.com Report-ID: <2024.09.03T00.00.00Z+cardinalhealth.ca@google.com>",
            reportID: "2024.09.03T00.00.00Z+cardinalhealth.ca@google.com", messageID: "<66d83c20.050a0220.a0566.1e8dtls@google.com>",
            dateRaw: "Wed, 04 Sep 2024 03:53:20 -0700", epoch: 1_725_447_200, from: "noreply-smtp-tls-reporting@google.com",
            mediaType: "application/tlsrpt+gzip", filename: "google.com!cardinalhealth.ca!1725321600!1725407999!001.json.gz",
            kind: .gzip, length: 252, byteSum: 31281),
        Case(
            path: "tlsrpt-be/test.eml", domain: "example.net", submitter: "mail.sender.example.com",
            subject: "Report Domain: example.net Submitter: mail.sender.example.com Report-ID: <735ff.e317+bf22029@example.net>",
            reportID: "735ff.e317+bf22029@example.net", messageID: nil, dateRaw: "Fri, May 09 2017 16:54:30 -0800",
            epoch: 1_494_377_670, from: "tlsrpt@mail.sender.example.com", mediaType: "application/tlsrpt+gzip",
            filename: "mail.sender.example!example.com!1013662812!1013749130.json.gz", kind: .gzip, length: 651, byteSum: 80792),
        Case(
            path: "tlsrpt-digest/tlsrpt_failure.eml", domain: "example.com", submitter: "google.com",
            subject: "Report Domain: example.com Submitter: google.com Report-ID: <2026.05.12T00.00.00Z+example.com@google.com>",
            reportID: "2026.05.12T00.00.00Z+example.com@google.com", messageID: "<6a049c05.00000000.3554e0.3524tls@google.com>",
            dateRaw: "Wed, 13 May 2026 08:43:01 -0700", epoch: 1_778_686_981, from: "noreply-smtp-tls-reporting@google.com",
            mediaType: "application/tlsrpt+gzip", filename: "google.com!example.com!1778544000!1778630399!001.json.gz",
            kind: .gzip, length: 359, byteSum: 44022),
        Case(
            path: "tlsrpt-digest/tlsrpt_success_google_1.eml", domain: "example.com", submitter: "google.com",
            subject: "Report Domain: example.com Submitter: google.com Report-ID: <2026.05.11T00.00.00Z+example.com@google.com>",
            reportID: "2026.05.11T00.00.00Z+example.com@google.com", messageID: "<6a034af0.00000000.3a4de4.4c68tls@google.com>",
            dateRaw: "Tue, 12 May 2026 08:44:48 -0700", epoch: 1_778_600_688, from: "noreply-smtp-tls-reporting@google.com",
            mediaType: "application/tlsrpt+gzip", filename: "google.com!example.com!1778457600!1778543999!001.json.gz",
            kind: .gzip, length: 318, byteSum: 40582),
        Case(
            path: "tlsrpt-digest/tlsrpt_success_google_2.eml", domain: "example.com", submitter: "google.com",
            subject: "Report Domain: example.com Submitter: google.com Report-ID: <2026.05.12T00.00.00Z+example.com@google.com>",
            reportID: "2026.05.12T00.00.00Z+example.com@google.com", messageID: "<6a049c05.00000000.3554e0.3524tls@google.com>",
            dateRaw: "Wed, 13 May 2026 08:43:01 -0700", epoch: 1_778_686_981, from: "noreply-smtp-tls-reporting@google.com",
            mediaType: "application/tlsrpt+gzip", filename: "google.com!example.com!1778544000!1778630399!001.json.gz",
            kind: .gzip, length: 318, byteSum: 38393),
        Case(
            path: "tlsrpt-digest/tlsrpt_success_microsoft.eml", domain: "example.com", submitter: "microsoft.com",
            subject: "Report Domain: example.com Submitter: microsoft.com Report-ID: 134232617934286362+example.com",
            reportID: "134232617934286362+example.com", messageID: "<134232617934286362+example.com@example.com>",
            dateRaw: "Thu, 14 May 2026 21:32:30 +0000", epoch: 1_778_794_350, from: "<tlsrpt-noreply@microsoft.com>",
            mediaType: "application/tlsrpt+gzip",
            filename: "microsoft.com!example.com!1778630400!1778716799!134232617934286362.json.gz", kind: .gzip, length: 325, byteSum: 39919),
    ]

    @Test(arguments: cases)
    func readsCorpusMessage(_ expected: Case) throws {
        let mail = try ReportMailReader.read(MailSamples.corpusFile(expected.path))
        let provenance = mail.provenance
        #expect(provenance.tlsReportDomain == expected.domain)
        #expect(provenance.tlsReportSubmitter == expected.submitter)
        #expect(provenance.subject == expected.subject)
        #expect(provenance.subjectReportID == expected.reportID)
        #expect(provenance.messageID == expected.messageID)
        #expect(provenance.dateRaw == expected.dateRaw)
        #expect(provenance.date == Date(timeIntervalSince1970: expected.epoch))
        #expect(provenance.from == expected.from)

        try #require(mail.attachments.count == 1)
        let attachment = mail.attachments[0]
        #expect(attachment.mediaType == expected.mediaType)
        #expect(attachment.filename == expected.filename)
        #expect(attachment.kind == expected.kind)
        #expect(attachment.bytes.count == expected.length)
        #expect(attachment.bytes.reduce(0) { $0 + Int($1) } == expected.byteSum)
        switch expected.kind {
        case .gzip: #expect(attachment.bytes.starts(with: MailSamples.gzipMagic))
        case .json: #expect(attachment.bytes.first == UInt8(ascii: "{"))
        case .unknown: Issue.record("corpus cases are gzip or JSON")
        }
    }

    /// The project that published `email.eml` also published its attachment on its own.
    @Test func extractedPayloadEqualsPublishedAttachment() throws {
        let mail = try ReportMailReader.read(MailSamples.corpusFile("mail-tls-rpt/email.eml"))
        let published = Base64Decoder.decode(try MailSamples.corpusFile("mail-tls-rpt/report.json.gz.b64"))
        #expect(published.count == 247)
        #expect(mail.attachments.first?.bytes == published)
    }

    /// Guards the table: a new `.eml` in the corpus must get a row.
    @Test func tableCoversEveryCorpusMessage() throws {
        let root = MailSamples.corpusDirectory
        let files = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        let emls = files.compactMap { $0 as? URL }.filter { $0.pathExtension == "eml" }
            .map { String($0.resolvingSymlinksInPath().path.dropFirst(root.resolvingSymlinksInPath().path.count + 1)) }
        #expect(Set(emls) == Set(Self.cases.map(\.path)))
    }
}
