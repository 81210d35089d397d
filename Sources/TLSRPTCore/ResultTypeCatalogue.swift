/// What a result type means for the people who run the receiving mail servers, and what to do
/// about it: the text behind `tlsrpt explain TYPE` and the weekly diagnosis.
///
/// A report says only `certificate-host-mismatch` and a count. A postmaster needs the next step:
/// which host to check, with what command, and which fix usually works. The text is written for
/// that reader, from RFC 8460 §4.3, RFC 8461, RFC 7672 and what real reports show.
///
/// Conventions in the text: `HOST` is the MX host a failure names and `DOMAIN` the policy domain;
/// renderers may substitute them. Each string is one paragraph without line breaks; renderers wrap.
public struct ResultTypeInfo: Sendable {
    /// The result type described.
    public let type: ResultType
    /// A short heading, e.g. "Certificate expired".
    public let title: String
    /// One sentence: what happened, operationally.
    public let meaning: String
    /// The usual reasons, most common first.
    public let likelyCauses: [String]
    /// What the domain owner should do, in the order to try it.
    public let fixes: [String]
}

extension ResultType {
    /// The catalogue entry for this type; unregistered types get a generic entry naming them.
    public var info: ResultTypeInfo {
        switch self {
        case .starttlsNotSupported:
            ResultTypeInfo(
                type: self,
                title: "STARTTLS not supported",
                meaning:
                    "The sender reached your MX but could not start TLS: STARTTLS was not offered in the EHLO reply, or the STARTTLS command was refused or failed.",
                likelyCauses: [
                    "TLS was never configured on this MX, typically a backup MX or a recently added host.",
                    "The MTA turned TLS off by itself because it could not read its certificate or key (wrong path or permissions); its start-up log says so.",
                    "A firewall or \"SMTP inspection\" feature in front of the MX removes STARTTLS from the EHLO reply.",
                    "If this MX normally offers TLS, someone on the path may be stripping STARTTLS (a downgrade attack).",
                ],
                fixes: [
                    "Test the MX the report names yourself: `openssl s_client -starttls smtp -connect HOST:25` must complete a handshake.",
                    "Enable STARTTLS on every MX published in DNS, backups included, with a certificate and key the MTA can read.",
                    "Turn off SMTP inspection or STARTTLS filtering on firewalls and load balancers in front of the MX.",
                    "If only one sender sees this while others succeed, compare its IPs and times with your MTA logs and tell the sender: the path between you may be tampered with.",
                ]
            )
        case .certificateHostMismatch:
            ResultTypeInfo(
                type: self,
                title: "Certificate does not match the MX host name",
                meaning:
                    "The MX presented a certificate, but none of its names covers the MX host name the sender connected to, so the certificate could not be verified as the policy requires.",
                likelyCauses: [
                    "The certificate was issued for another name: the web site, the bare domain, or a hosting provider's generic server name.",
                    "The MX record names an alias (CNAME) and the certificate carries only the target's name; senders check the name in the MX record.",
                    "A new MX was added to DNS without a certificate that covers its name.",
                    "The MTA serves a default certificate for some names because per-name certificates (SNI) are not configured.",
                ],
                fixes: [
                    "Reissue the certificate so its subjectAltName lists every MX host name exactly as the MX records spell it, or a wildcard that covers them.",
                    "Check what each MX serves: `openssl s_client -starttls smtp -connect HOST:25 -servername HOST | openssl x509 -noout -ext subjectAltName`.",
                    "Whenever you add or rename an MX, update the MX records, the certificate and the MTA-STS `mx:` lines together.",
                ]
            )
        case .certificateExpired:
            ResultTypeInfo(
                type: self,
                title: "Certificate expired",
                meaning: "The certificate the MX presented was past its expiry date when the sender connected.",
                likelyCauses: [
                    "The certificate was renewed on disk, but the MTA was not reloaded and still serves the old one.",
                    "Automatic renewal (ACME, certbot) failed, or was set up for the web server but not for the mail server.",
                    "The MTA reads its certificate from a different file than the one the renewal job writes.",
                    "One MX among several was missed when certificates were replaced.",
                ],
                fixes: [
                    "Check the date the MX actually serves: `openssl s_client -starttls smtp -connect HOST:25 </dev/null | openssl x509 -noout -enddate`.",
                    "Renew the certificate, then reload the MTA; add a reload hook to the renewal job so it happens every time.",
                    "Monitor certificate expiry on every MX, not only on the web site.",
                ]
            )
        case .certificateNotTrusted:
            ResultTypeInfo(
                type: self,
                title: "Certificate not trusted",
                meaning: "The sender could not build a trusted chain from the MX's certificate to a certification authority it trusts.",
                likelyCauses: [
                    "The MX sends only its own certificate, without the intermediate certificates (the most common cause).",
                    "The certificate is self-signed or from a private CA; MTA-STS requires a publicly trusted one.",
                    "The chain contains an expired or revoked intermediate, or a root the sender does not trust.",
                    "The failure-reason-code usually names the exact problem, often as an OpenSSL X509_V_ERR_* code.",
                ],
                fixes: [
                    "Configure the MTA with the full chain file (your certificate first, then the intermediates), not the certificate alone.",
                    "Use a certificate from a publicly trusted CA on every MX covered by an MTA-STS policy.",
                    "Verify with `openssl s_client -starttls smtp -connect HOST:25 -showcerts` and look for \"Verify return code: 0 (ok)\".",
                    "Read the failure-reason-code values for this type, grouped by MX, and fix what they name.",
                ]
            )
        case .validationFailure:
            ResultTypeInfo(
                type: self,
                title: "Validation failure",
                meaning:
                    "The TLS handshake or a validation step failed for a reason that fits no more specific type; the failure-reason-code should say which.",
                likelyCauses: [
                    "No TLS version or cipher suite in common: the MX offers only TLS 1.0/1.1 or weak ciphers, or demands something the sender lacks.",
                    "A key or signature the sender refuses, such as an RSA key under 2048 bits or a SHA-1 signature.",
                    "A handshake that times out or is reset by a load balancer, a firewall or an overloaded MX.",
                    "Some senders file DANE or MTA-STS problems here when they have no better type.",
                ],
                fixes: [
                    "Group the failure-reason-code values by MX and by sender: they are the real diagnosis.",
                    "Offer TLS 1.2 and 1.3 with current cipher suites, and an ECDSA key or an RSA key of at least 2048 bits.",
                    "Scan the MX with a TLS tester such as `testssl.sh --starttls smtp HOST:25` and fix what it flags.",
                ]
            )
        case .tlsaInvalid:
            ResultTypeInfo(
                type: self,
                title: "TLSA records do not match",
                meaning: "The MX has DANE TLSA records, but none of them matches the certificate or chain the MX presented.",
                likelyCauses: [
                    "The certificate or key was replaced without publishing a TLSA record for the new one first (the usual cause).",
                    "The records hash the wrong thing: another certificate, the whole certificate instead of the public key (selector), or the wrong digest (matching type).",
                    "A \"2 x x\" record names a CA that is no longer in the chain the MX sends.",
                    "Several MX hosts share TLSA records but serve different keys.",
                ],
                fixes: [
                    "Compare the TLSA records at `_25._tcp.HOST` with what the MX serves, for every MX, using `danetool` or a DANE checker.",
                    "Roll keys safely: publish the TLSA record for the next key next to the current one, wait at least two TTLs, switch the certificate, then remove the old record.",
                    "Prefer \"3 1 1\" records (a hash of the server's public key): they survive renewals that keep the key.",
                ]
            )
        case .dnssecInvalid:
            ResultTypeInfo(
                type: self,
                title: "DNSSEC validation failed",
                meaning:
                    "The sender's validating resolver got no DNSSEC-valid answer for the MX's TLSA records: the answer was bogus or the lookup failed.",
                likelyCauses: [
                    "Signatures (RRSIG) expired because re-signing of the zone stopped.",
                    "The DS record at the parent no longer matches the zone's DNSKEY after a key rollover or a move to another DNS provider.",
                    "Broken proof of non-existence (NSEC/NSEC3), or nameservers that time out or answer wrongly for TLSA queries.",
                    "The nameservers of the MX host's zone serve differently signed copies of the zone.",
                ],
                fixes: [
                    "Check `_25._tcp.HOST` with a DNSSEC analyser such as DNSViz or `delv` and fix the errors it reports.",
                    "Make signing automatic and monitored, and make sure the DS at the registrar matches the current key-signing key.",
                    "When rolling keys or changing DNS providers, follow a rollover procedure that keeps DS and DNSKEY consistent throughout.",
                ]
            )
        case .daneRequired:
            ResultTypeInfo(
                type: self,
                title: "DANE required but not available",
                meaning:
                    "The sender is configured to require DANE for your domain, but the MX has no DNSSEC-validated TLSA records, so it would not deliver.",
                likelyCauses: [
                    "The sender requires DANE for your domain by arrangement or local policy, but TLSA records were never published or were removed.",
                    "The zone of the MX host is not DNSSEC-signed, so TLSA records there do not count.",
                    "The MX was moved to a host, often a provider's, that has no TLSA records.",
                ],
                fixes: [
                    "Sign the MX host's zone with DNSSEC and publish TLSA records at `_25._tcp.HOST` for every MX.",
                    "If you do not mean to use DANE, ask the sender to drop the requirement for your domain.",
                ]
            )
        case .stsPolicyFetchError:
            ResultTypeInfo(
                type: self,
                title: "MTA-STS policy could not be fetched",
                meaning:
                    "Your domain publishes an `_mta-sts` TXT record, but the sender could not download the policy from https://mta-sts.DOMAIN/.well-known/mta-sts.txt.",
                likelyCauses: [
                    "The host mta-sts.DOMAIN has no DNS record, or points at a server that is gone.",
                    "The web server answers with an error status (404, 500) or a redirect; senders must not follow redirects.",
                    "The connection is refused or times out: a firewall blocks port 443, or the server is too slow.",
                    "MTA-STS was abandoned but the `_mta-sts` TXT record was left in DNS.",
                ],
                fixes: [
                    "Fetch the policy yourself: `curl -v https://mta-sts.DOMAIN/.well-known/mta-sts.txt` must return status 200 directly, with Content-Type text/plain.",
                    "Make sure mta-sts.DOMAIN resolves and is served from a reliable host; static hosting is enough.",
                    "To retire MTA-STS, publish `mode: none` with a new `id` first, wait for the old max_age to pass, then remove the `_mta-sts` record.",
                ]
            )
        case .stsPolicyInvalid:
            ResultTypeInfo(
                type: self,
                title: "MTA-STS policy invalid",
                meaning:
                    "The sender fetched your MTA-STS policy but could not use it: the file is malformed or lacks a required field, or (for some senders) does not cover the MX they tried.",
                likelyCauses: [
                    "A syntax error: a missing `version: STSv1`, `mode` or `max_age` line, a misspelled key or value (such as `mode: report`), or a line without a colon.",
                    "No `mx:` line while the mode is `enforce` or `testing`.",
                    "A `max_age` that is not a number or is above 31557600 seconds.",
                    "An MX host in DNS that no `mx:` pattern covers (remember `*.example.com` covers exactly one label).",
                    "The file is served with a media type other than text/plain.",
                ],
                fixes: [
                    "Check the file line by line: `version: STSv1`, `mode: enforce` (or `testing` or `none`), one `mx:` line per pattern, `max_age:` in seconds up to 31557600.",
                    "Make sure every host in your MX records matches an `mx:` pattern, comparing the policy strings in the reports with your file.",
                    "Serve the file as text/plain, and change the `id` in the `_mta-sts` TXT record after every edit so senders fetch it again.",
                ]
            )
        case .stsWebpkiInvalid:
            ResultTypeInfo(
                type: self,
                title: "MTA-STS policy host certificate invalid",
                meaning:
                    "The HTTPS certificate of the policy host mta-sts.DOMAIN failed validation, so the policy could not be trusted; some senders also use this type for MX certificate failures under an enforced policy.",
                likelyCauses: [
                    "The certificate of mta-sts.DOMAIN has expired.",
                    "It does not cover the name mta-sts.DOMAIN, e.g. a hosting provider's default certificate or one issued for the bare domain only.",
                    "The server omits the intermediate certificates, or uses a self-signed or private-CA certificate.",
                ],
                fixes: [
                    "Check with `curl -v https://mta-sts.DOMAIN/.well-known/mta-sts.txt`: it must succeed without `-k`.",
                    "Install a publicly trusted certificate whose names include mta-sts.DOMAIN, serve the full chain, and automate its renewal.",
                    "If the failures name your MX hosts rather than the policy host, treat them as certificate-not-trusted or certificate-host-mismatch on those hosts.",
                ]
            )
        case .unknown(let text):
            ResultTypeInfo(
                type: self,
                title: "Unregistered result type \"\(text)\"",
                meaning:
                    "The sender used a result type that is not in the IANA registry: it may be newer than this tool, specific to the sender, or test data.",
                likelyCauses: [
                    "The type was registered after this version of tlsrpt was written.",
                    "The sender uses its own name for a known problem, or sent test data.",
                ],
                fixes: [
                    "Read the failure-reason-code and additional-information that come with it: they describe the failure.",
                    "Look the name up in the IANA \"STARTTLS Validation Result Types\" registry; if it is a variant of a known type, follow that type's advice.",
                ]
            )
        }
    }
}
