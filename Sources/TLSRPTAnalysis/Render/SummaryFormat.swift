/// The output formats of `tlsrpt summary`, and which renderer makes each.
package enum SummaryFormat: String, Sendable, CaseIterable {
    case text, markdown, json, csv, html

    package func render(_ report: PeriodReport) -> String {
        switch self {
        case .text: SummaryTextRenderer.render(report)
        case .markdown: SummaryMarkdownRenderer.render(report)
        case .json: SummaryJSONRenderer.render(report)
        case .csv: SummaryCSVRenderer.render(report)
        case .html: SummaryHTMLRenderer.render(report)
        }
    }

    /// Whether the format draws the daily series (the HTML charts): the others need not read it, which at a
    /// provider's 2,000 domains is a fifth of a summary's time.
    package var drawsDailySeries: Bool { self == .html }
}
