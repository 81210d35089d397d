import TLSRPTCore

/// `tlsrpt explain TYPE`: a catalogue entry as text, wrapped for a terminal.
package enum ExplanationRenderer {
    /// The entry for a registered type, or nil for a name the registry does not know.
    package static func render(_ name: String) -> String? {
        let type = ResultType(canonicalising: name)
        guard type.isRegistered else { return nil }
        let info = type.info
        var lines = ["\(type.name): \(info.title)", "Category: \(type.category.rawValue)", ""]
        lines += TextWrap.wrap(info.meaning, width: 100)
        lines += ["", "Likely causes:"]
        for cause in info.likelyCauses { lines += TextWrap.wrap(cause, width: 100, first: "  - ", rest: "    ") }
        lines += ["", "What to do (HOST is the MX host, DOMAIN your policy domain):"]
        for fix in info.fixes { lines += TextWrap.wrap(fix, width: 100, first: "  - ", rest: "    ") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The message for a name outside the registry: what it is not, and what is.
    package static func unknownTypeMessage(_ name: String) -> String {
        "'\(UntrustedText.sanitised(name))' is not a registered result type. Registered types: "
            + ResultType.registered.map(\.name).joined(separator: ", ")
            + ". Unregistered types that senders send appear verbatim in `tlsrpt summary` with their reason codes."
    }
}
