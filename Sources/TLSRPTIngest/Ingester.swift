import Foundation
import TLSRPTStore

/// Runs inputs through the pipeline in batches: read and hash, skip what was seen, decode on every
/// core, commit the batch in one transaction, and only then move maildir messages.
///
/// Committing before moving is what makes a kill -9 harmless: a message still in `new/` after a crash is
/// either uncommitted (read again) or committed and remembered in `seen_input` (moved on the rerun,
/// counted as a duplicate). Nothing is ever deleted.
public final class Ingester: Sendable {
    public typealias RejectionHandler = @Sendable (_ input: String, _ reason: String) -> Void

    public let store: ReportStore
    public let processor: InputProcessor
    /// Inputs per transaction: large enough to amortise the commit, small enough to keep memory flat.
    public let batchSize: Int
    /// A batch also ends when its inputs add up to this many bytes.
    public let maxBatchBytes: Int
    /// A batch also ends when the reports decoded from it add up to this many bytes (of canonical JSON):
    /// small gzip files can inflate to 16 MiB reports each, and the batch holds them until its commit.
    public let maxBatchReportBytes: Int
    /// Inputs larger than this are refused without being read (a report mail is a few KB; 64 MiB leaves
    /// room for a base64 attachment at the 16 MiB decompressed cap).
    public let maxInputBytes: Int

    public init(
        store: ReportStore, processor: InputProcessor = InputProcessor(), batchSize: Int = 512,
        maxBatchBytes: Int = 64 << 20, maxBatchReportBytes: Int = 16 << 20, maxInputBytes: Int = 64 << 20
    ) {
        self.store = store
        self.processor = processor
        self.batchSize = batchSize
        self.maxBatchBytes = maxBatchBytes
        self.maxBatchReportBytes = maxBatchReportBytes
        self.maxInputBytes = maxInputBytes
    }

    /// Ingests the files, folders and maildirs named by `paths`.
    public func ingest(paths: [String], onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
        let (items, missing) = InputEnumerator.items(for: paths)
        var tally = IngestTally()
        for entry in missing {
            onRejection(entry.path, entry.reason)
            tally.rejected += 1
        }
        tally += try ingest(items, onRejection: onRejection)
        return tally
    }

    public func ingest(_ items: [InputItem], onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
        var tally = IngestTally()
        var batch = PendingBatch()
        var next = 0
        while next < items.count {
            // Inputs are processed a few at a time, and the batch ends by what it holds after processing
            // (reports decoded, not only bytes read): a hundred small gzip files that each inflate to a
            // 16 MiB report weigh what they inflate to.
            var group: [LoadedInput] = []
            var bytes = 0
            while next < items.count, group.count < Self.groupSize, batch.count + group.count < batchSize, bytes < maxBatchBytes {
                let input = load(items[next])
                bytes += input.bytes?.count ?? 0
                group.append(input)
                next += 1
            }
            batch.append(group, try process(group))
            if batch.count >= batchSize || batch.inputBytes >= maxBatchBytes || batch.reportBytes >= maxBatchReportBytes {
                tally += try commit(batch, onRejection: onRejection)
                batch = PendingBatch()
            }
        }
        if batch.count > 0 { tally += try commit(batch, onRejection: onRejection) }
        return tally
    }

    /// Inputs processed in parallel at a time: enough to keep every core busy, few enough that what they
    /// inflate to (up to the 16 MiB cap each) stays small.
    static let groupSize = max(2, ProcessInfo.processInfo.activeProcessorCount)

    /// Ingests one input read from `fileDescriptor` (standard input). An input over `maxInputBytes` is read
    /// to its end but not kept whole: its rejection is recorded with its first 64 KiB, so a person can see
    /// what it was.
    public func ingestStandardInput(fileDescriptor: Int32 = 0, onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
        let input = StandardInputReader.read(fileDescriptor: fileDescriptor, limit: maxInputBytes)
        let item = InputItem(path: "-", kind: .bytes([]))
        guard let total = input.oversizedTotal else {
            return try ingest([InputItem(path: "-", kind: .bytes(input.bytes))], onRejection: onRejection)
        }
        let loaded = LoadedInput(
            item: item, failure: "the input is \(total) bytes, more than the \(maxInputBytes)-byte limit for one input",
            preview: Array(input.bytes.prefix(64 << 10)))
        return try ingestBatch([loaded], onRejection: onRejection)
    }

    // MARK: - One batch

    struct LoadedInput: Sendable {
        var item: InputItem
        var bytes: [UInt8]?
        var failure: String?
        var vanished = false
        /// The beginning of an input too large to keep, recorded with its rejection when it has no other home.
        var preview: [UInt8]?
    }

    enum Fate {
        case vanished
        case seen(InputOutcome)
        case processed(InputProcessor.Result, hash: [UInt8]?)
    }

    func load(_ item: InputItem) -> LoadedInput {
        switch item.kind {
        case .bytes(let bytes):
            guard bytes.count <= maxInputBytes else {
                return LoadedInput(
                    item: item, failure: "the input is \(bytes.count) bytes, more than the \(maxInputBytes)-byte limit for one input",
                    preview: Array(bytes.prefix(64 << 10)))
            }
            return LoadedInput(item: item, bytes: bytes)
        case .file, .maildirMessage:
            switch FileReader.read(item.path, limit: maxInputBytes) {
            case .success(let bytes): return LoadedInput(item: item, bytes: bytes)
            case .failure(.vanished): return LoadedInput(item: item, vanished: true)
            case .failure(.tooLarge(let size)):
                return LoadedInput(item: item, failure: "the file is \(size) bytes, more than the \(maxInputBytes)-byte limit for one input")
            case .failure(.unreadable(let reason)): return LoadedInput(item: item, failure: "cannot read: \(reason)")
            }
        }
    }

    /// Inputs processed and waiting for their commit.
    struct PendingBatch {
        var inputs: [LoadedInput] = []
        var fates: [Fate] = []
        /// Bytes held: the inputs as read, and the reports decoded from them.
        var inputBytes = 0
        var reportBytes = 0

        var count: Int { inputs.count }

        mutating func append(_ group: [LoadedInput], _ processed: [Fate]) {
            inputs += group
            fates += processed
            inputBytes += group.reduce(0) { $0 + ($1.bytes?.count ?? 0) + ($1.preview?.count ?? 0) }
            for case .processed(let result, _) in processed {
                // The canonical JSON's size stands for the decoded model's, which is about as large.
                reportBytes += result.reports.reduce(0) { $0 + $1.rawGzip.count + $1.canonicalSize }
            }
        }
    }

    /// Hashes the inputs, skips those seen before, and runs the others through the pipeline on every core.
    func process(_ inputs: [LoadedInput]) throws(StoreError) -> [Fate] {
        let hashes: [[UInt8]?] = inputs.parallelMap { input in input.bytes.map(ContentHash.sha256) }
        let seen = try store.seenInputs(hashes.compactMap { $0 })
        let processor = self.processor
        let fates: [Fate] = Array(zip(inputs, hashes).enumerated()).parallelMap { _, pair in
            let (input, hash) = pair
            if input.vanished { return .vanished }
            if let hash, let outcome = seen[hash] { return .seen(outcome) }
            guard let bytes = input.bytes else {
                return .processed(InputProcessor.Result(reports: [], problems: [input.failure ?? "cannot read"]), hash: nil)
            }
            return .processed(processor.process(bytes, provenance: Self.provenance(of: input.item)), hash: hash)
        }
        return fates
    }

    func ingestBatch(_ inputs: [LoadedInput], onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
        var batch = PendingBatch()
        batch.append(inputs, try process(inputs))
        return try commit(batch, onRejection: onRejection)
    }

    /// Commits a processed batch in one transaction, then tallies, tells, and moves maildir messages.
    func commit(_ pending: PendingBatch, onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
        let inputs = pending.inputs
        let fates = pending.fates
        var batch = StoreBatch()
        var reportOwners: [Int] = []  // input index of each report in the batch
        var rejectedInputs = Set<Int>()
        for (index, fate) in fates.enumerated() {
            guard case .processed(let result, let hash) = fate else { continue }
            let input = inputs[index]
            for report in result.reports {
                batch.reports.append(report)
                reportOwners.append(index)
            }
            if !result.problems.isEmpty {
                let isRejected = result.reports.isEmpty
                if isRejected { rejectedInputs.insert(index) }
                batch.rejections.append(
                    IncomingRejection(
                        provenance: Self.provenance(of: input.item), reason: result.problems.joined(separator: "; "),
                        keptAt: Self.keptAt(input.item, rejected: isRejected),
                        raw: Self.needsRawCopy(input.item) ? input.bytes ?? input.preview : nil, inputHash: hash))
            }
            if let hash {
                batch.seenInputs.append((hash, result.reports.isEmpty ? .rejected : .stored))
            }
        }
        let outcomes = try store.commit(batch)

        // After the commit: tally, tell, and move maildir messages.
        var tally = IngestTally()
        for outcome in outcomes {
            switch outcome {
            case .stored(_, let conflict):
                tally.ingested += 1
                if conflict { tally.conflicts += 1 }
            case .duplicate: tally.duplicates += 1
            }
        }
        for rejection in batch.rejections {
            onRejection(rejection.provenance.name, rejection.reason)
            tally.rejected += 1
        }
        for (index, fate) in fates.enumerated() {
            let input = inputs[index]
            switch fate {
            case .vanished:
                continue  // another process moved it; it is that process's to count
            case .seen(let outcome):
                tally.duplicates += 1
                Self.settle(input.item, rejected: outcome == .rejected)
            case .processed:
                Self.settle(input.item, rejected: rejectedInputs.contains(index))
            }
        }
        return tally
    }

    // MARK: - Provenance and places

    static func provenance(of item: InputItem) -> Provenance {
        switch item.kind {
        case .file: Provenance(channel: .file, name: item.path)
        case .maildirMessage: Provenance(channel: .maildir, name: item.path)
        case .bytes: Provenance(channel: .stdin, name: item.path)
        }
    }

    /// Where a person finds a rejected input: a plain file stays where it is; a maildir message moves to
    /// `.Rejected`; bytes from standard input live in the database.
    static func keptAt(_ item: InputItem, rejected: Bool) -> String {
        switch item.kind {
        case .file: item.path
        case .maildirMessage(let message): rejected ? message.rejectedPath : message.acceptedPath
        case .bytes: "the database (tlsrpt rejects shows it)"
        }
    }

    static func needsRawCopy(_ item: InputItem) -> Bool {
        if case .bytes = item.kind { return true }
        return false
    }

    /// Moves a maildir message to where its outcome says. A rename that fails because another process
    /// already moved the message is not an error.
    static func settle(_ item: InputItem, rejected: Bool) {
        guard case .maildirMessage(let message) = item.kind else { return }
        let destination = rejected ? message.rejectedPath : message.acceptedPath
        guard destination != message.path else { return }
        if rejected {
            for sub in ["cur", "new", "tmp"] {
                try? FileManager.default.createDirectory(
                    atPath: "\(message.maildir)/.Rejected/\(sub)", withIntermediateDirectories: true)
            }
        }
        _ = rename(message.path, destination)
    }
}
