import TLSRPTCore
import TLSRPTMail

/// Compares what a report mail's headers claim with the report itself. RFC 8460 makes the JSON
/// authoritative, so a disagreement is only noted (it can reveal a misconfigured reporter, or a forgery),
/// never a reason to reject. The RFC's own example message already disagrees with its payload.
enum MailAgreement {
    static func disagreements(between mail: MailProvenance, and report: Report) -> [String] {
        var notes: [String] = []
        let domains = Set(report.policies.compactMap(\.policy.domain))
        if let header = mail.tlsReportDomain.map(HostName.normalise), !header.isEmpty, !domains.isEmpty, !domains.contains(header) {
            notes.append(
                "the mail's TLS-Report-Domain is \(header), the report's policy domains are \(domains.sorted().joined(separator: ", ")); the report wins"
            )
        }
        if let submitter = mail.tlsReportSubmitter.map(HostName.normalise), !submitter.isEmpty,
            let contact = report.contactInfo, let at = contact.lastIndex(of: "@")
        {
            let contactDomain = HostName.normalise(String(contact[contact.index(after: at)...]))
            // Mail.ru's contact is tls_support@corp.mail.ru for submitter mail.ru: a subdomain agrees.
            if contactDomain != submitter && !contactDomain.hasSuffix("." + submitter) {
                notes.append("the mail's TLS-Report-Submitter is \(submitter), the report's contact-info domain is \(contactDomain)")
            }
        }
        return notes
    }
}
