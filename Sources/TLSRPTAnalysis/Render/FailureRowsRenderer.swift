import TLSRPTCore
package import TLSRPTStore

/// `tlsrpt failures`: the failure details behind a summary line, one row each, as a text table, JSON
/// or CSV.
package enum FailureRowsRenderer {
    package enum Format: String, Sendable, CaseIterable {
        case text, json, csv
    }

    package static let csvHeader = [
        "report_start", "sender", "report_id", "policy_domain", "policy_type", "result_type", "sending_mta_ip",
        "receiving_mx_host", "receiving_mx_helo", "receiving_ip", "failed_sessions", "failure_reason_code", "additional_information",
    ]

    package static func render(_ rows: [FailureDetailRow], format: Format) -> String {
        switch format {
        case .text: text(rows)
        case .json: json(rows).serialized(pretty: true) + "\n"
        case .csv: csv(rows)
        }
    }

    static func text(_ rows: [FailureDetailRow]) -> String {
        guard !rows.isEmpty else { return "No failure details match.\n" }
        var table = TextTable(
            ["Day", "Sender", "Domain", "Result type", "MX host", "Receiving IP", "Failed", "Reason"],
            alignments: [.left, .left, .left, .left, .left, .left, .right, .left])
        table.maxCellWidth = 24
        var total: Int64 = 0
        for row in rows {
            total.addCount(row.failed)
            table.add([
                RFC3339Date.day(row.reportStart), row.sender, row.domain ?? "-", row.resultType, row.mxHost ?? "-", row.receivingIP ?? "-",
                NumberFormat.grouped(row.failed), row.reasonCode ?? row.additionalInformation ?? "",
            ])
        }
        return table.render(indent: "") + "\n\(rows.count) row\(rows.count == 1 ? "" : "s"), \(NumberFormat.grouped(total)) failed sessions\n"
    }

    static func json(_ rows: [FailureDetailRow]) -> JSONValue {
        .array(
            rows.map { row in
                .object(
                    JSONObject([
                        ("report_start", .string(RFC3339Date.format(row.reportStart))),
                        ("sender", .string(row.sender)),
                        ("report_id", .string(row.reportID)),
                        ("policy_domain", .optionalString(row.domain)),
                        ("policy_type", .string(row.policyType)),
                        ("result_type", .string(row.resultType)),
                        ("sending_mta_ip", .optionalString(row.sendingMTAIP)),
                        ("receiving_mx_hostname", .optionalString(row.mxHost)),
                        ("receiving_mx_helo", .optionalString(row.mxHelo)),
                        ("receiving_ip", .optionalString(row.receivingIP)),
                        ("failed_sessions", .int(row.failed)),
                        ("failure_reason_code", .optionalString(row.reasonCode)),
                        ("additional_information", .optionalString(row.additionalInformation)),
                    ]))
            })
    }

    static func csv(_ rows: [FailureDetailRow]) -> String {
        var out = CSVField.record(csvHeader)
        for row in rows {
            out += CSVField.record([
                RFC3339Date.format(row.reportStart), row.sender, row.reportID, row.domain ?? "", row.policyType, row.resultType,
                row.sendingMTAIP ?? "", row.mxHost ?? "", row.mxHelo ?? "", row.receivingIP ?? "", String(row.failed), row.reasonCode ?? "",
                row.additionalInformation ?? "",
            ])
        }
        return out
    }
}
