import Dispatch
import Foundation
import Hummingbird
import HummingbirdTesting
import TLSRPTExtract
import Testing

@testable import TLSRPTServer
import TLSRPTTestSupport

/// Decoding happens on a bounded pool of its own, so a burst of large reports neither starves the
/// cooperative pool (which answers `/healthz` and every other request) nor grows memory per client.
struct DecodeQueueTests {
    @Test func decodesRunOnTheirOwnThreadsNotTheCooperativePool() async throws {
        let queue = DecodeQueue(workers: 1, maxWaiting: 0)
        let name = try await queue.run { Thread.current.name ?? "" }
        #expect(name.hasPrefix("TP-"), "ran on \(name)")
    }

    @Test func atMostWorkersRunAndAtMostMaxWaitingWaitTheRestGet503() async throws {
        let queue = DecodeQueue(workers: 1, maxWaiting: 1)
        let gate = DispatchSemaphore(value: 0)
        let first = Task { try await queue.run { gate.wait(); return 1 } }
        while queue.inFlight < 1 { try await Task.sleep(for: .milliseconds(10)) }
        let second = Task { try await queue.run { 2 } }
        while queue.inFlight < 2 { try await Task.sleep(for: .milliseconds(10)) }
        do {
            _ = try await queue.run { 3 }
            Issue.record("a third job was admitted past one worker and one waiting")
        } catch {
            #expect(error.status == .serviceUnavailable)
            #expect(error.headers[.retryAfter] != nil)
        }
        gate.signal()
        #expect(try await first.value == 1)
        #expect(try await second.value == 2)
        #expect(queue.inFlight == 0)
    }

    /// A valid report of about 12 MB once inflated (60,000 failure details), about 100 KB as sent.
    static func largeReport(index: Int) -> [UInt8] {
        let detail =
            #"{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx.example.com","receiving-ip":"198.51.100.7","failed-session-count":1,"additional-information":"https://example.com/tlsrpt/certificate-expired-explained-at-length"}"#
        let details = Array(repeating: detail, count: 60_000).joined(separator: ",")
        let json =
            #"{"organization-name":"Big","date-range":{"start-datetime":"2026-11-22T00:00:00Z","end-datetime":"2026-11-22T23:59:59Z"},"report-id":"big-\#(index)","policies":[{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":1,"total-failure-session-count":60000},"failure-details":[\#(details)]}]}"#
        return Gzip.compress(Array(json.utf8), level: 9)
    }

    @Test func healthzAnswersWhileEveryDecoderIsBusy() async throws {
        let harness = try Harness(decodeWorkers: 1, maxRequestsPerClient: 16)
        defer { harness.remove() }
        var files: [String] = []
        for index in 0..<4 {
            let file = harness.folder.appendingPathComponent("big-\(index).json.gz")
            try Data(Self.largeReport(index: index)).write(to: file)
            files.append(file.path)
        }
        let bodies = files
        try await harness.server.application().test(.live) { client in
            let port = try #require(client.port)
            try await withThrowingTaskGroup(of: Int.self) { group in
                for file in bodies {
                    group.addTask {
                        try await ProcessRunner.curlStatus([
                            "-H", "Expect:", "-H", "Content-Type: application/tlsrpt+gzip", "--data-binary", "@\(file)",
                            "http://127.0.0.1:\(port)/tlsrpt",
                        ])
                    }
                }
                // Once decodes are running, /healthz must not wait for them (generous bound: a starved
                // pool made it wait for every decode in flight).
                var waited = 0
                while harness.server.endpoint.decodesInFlight == 0 && waited < 400 {
                    try await Task.sleep(for: .milliseconds(25))
                    waited += 1
                }
                #expect(harness.server.endpoint.decodesInFlight > 0)
                // /healthz is answered while the decodes are still running: it does not queue behind them. (No
                // clock here: how fast is measured by Scripts/bench-serve-abuse; a test on a busy machine
                // can only say "before the decodes ended".) Each on a new connection: the test client's one
                // connection may have sat idle past the header timeout and been closed for it.
                var answeredDuringDecodes = 0
                for _ in 0..<3 {
                    let output = try await ProcessRunner.run(
                        "/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "http://127.0.0.1:\(port)/healthz"])
                    #expect(output.stdout.hasPrefix("200 "), "\(output.stdout)")
                    if harness.server.endpoint.decodesInFlight > 0 { answeredDuringDecodes += 1 }
                    print("healthz during decodes: \(output.stdout) s")
                }
                #expect(answeredDuringDecodes > 0, "every /healthz waited until the decodes were over")
                for try await status in group { #expect(status == 201) }
            }
        }
        #expect(try harness.storedReports().count == 4)
    }
}
