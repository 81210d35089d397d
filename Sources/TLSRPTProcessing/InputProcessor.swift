package import TLSRPTCore
package import TLSRPTExtract
import TLSRPTMail
package import TLSRPTStore

/// One input's way through the pure part of the pipeline: extract -> decode -> normalise. No I/O, so every
/// source (files, maildirs, standard input, the HTTPS endpoint) shares it, and so it can run on any core.
package struct InputProcessor: Sendable {
    package var extractor: PayloadExtractor
    package var decoder: ReportDecoder

    package init(extractor: PayloadExtractor = PayloadExtractor(), decoder: ReportDecoder = ReportDecoder()) {
        self.extractor = extractor
        self.decoder = decoder
    }

    /// The reports found in `bytes`, and a reason for each part that could not be read.
    package struct Result: Sendable {
        package var reports: [IncomingReport] = []
        package var problems: [String] = []
        /// True when the input is something else that shares report mailboxes (a DMARC report).
        package var isForeign = false
        /// True when the input was refused for its size (decompressed cap, too many gzip layers): the HTTPS
        /// endpoint answers 413 for it rather than 400.
        package var exceededLimit = false
        /// Decompressed bytes of the report JSON that was extracted (for the endpoint's metrics).
        package var payloadBytes = 0

        package init(reports: [IncomingReport] = [], problems: [String] = []) {
            self.reports = reports
            self.problems = problems
        }
    }

    package func process(_ bytes: [UInt8], provenance: Provenance) -> Result {
        var result = Result()
        let payloads: [ExtractedPayload]
        do {
            payloads = try extractor.extract(bytes)
        } catch {
            result.problems.append(error.message)
            result.isForeign = error.code == .notTLSReport
            result.exceededLimit = error.code == .tooLarge
            return result
        }
        for (index, payload) in payloads.enumerated() {
            result.payloadBytes += payload.json.count
            var origin = provenance
            if let mail = payload.mail {
                origin.submitter = mail.tlsReportSubmitter
                origin.reportDomain = mail.tlsReportDomain
                origin.messageID = mail.messageID
                origin.subjectReportID = mail.subjectReportID
                origin.mailDate = mail.dateRaw
            }
            do {
                let context = ReportDecoder.Context(
                    fallbackPolicyDomain: payload.mail?.tlsReportDomain, fileNames: [payload.attachmentName, provenance.name].compactMap { $0 })
                var decoded = try decoder.decode(payload.json, context: context)
                if let mail = payload.mail {
                    decoded.report.notes += MailAgreement.disagreements(between: mail, and: decoded.report)
                }
                let raw = payload.gzip ?? Gzip.compress(payload.json)
                result.reports.append(IncomingReport(decoded: decoded, rawGzip: raw, provenance: origin))
            } catch {
                let part = payloads.count > 1 ? "report \(index + 1) of \(payloads.count): " : ""
                result.problems.append(part + error.description)
            }
        }
        return result
    }
}
