import ArgumentParser
import TLSRPTAnalysis

extension TLSRPT {
    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain a result type: what it means, typical causes, and fixes.",
            discussion: """
                The text comes from the result-type catalogue that the summary's diagnoses also use. \
                Names are matched without regard to case; underscores read as hyphens.

                Example:
                  tlsrpt explain certificate-host-mismatch
                """)

        @Argument(help: ArgumentHelp("A result type, e.g. certificate-expired.", valueName: "result-type"))
        var resultType: String

        func run() async throws {
            guard let text = ExplanationRenderer.render(resultType) else {
                Console.error(ExplanationRenderer.unknownTypeMessage(resultType))
                throw ExitCode(1)
            }
            print(text, terminator: "")
        }
    }
}
