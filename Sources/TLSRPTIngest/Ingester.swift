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
    /// small gzip files can inflate to 16 MiB reports each, and a batch holds them until its commit.
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

    /// Ingests the files, folders and maildirs named by `paths`, batch by batch as the walk finds them.
    public func ingest(paths: [String], onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
        var run = BatchRun(ingester: self)
        var missing: [InputEnumerator.Missing] = []
        try InputEnumerator.enumerate(
            paths, missing: { missing.append($0) }, found: { (item) throws(StoreError) in try run.add(item, onRejection: onRejection) })
        var tally = try run.finish(onRejection: onRejection)
        for entry in missing {
            onRejection(entry.path, entry.reason)
            tally.rejected += 1
        }
        return tally
    }

    public func ingest(_ items: [InputItem], onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
        var run = BatchRun(ingester: self)
        for item in items { try run.add(item, onRejection: onRejection) }
        return try run.finish(onRejection: onRejection)
    }

    /// Ingests one input read from `fileDescriptor` (standard input). An input over `maxInputBytes` is read
    /// to its end but not kept whole: its rejection is recorded with its first 64 KiB, so a person can see
    /// what it was.
    public func ingestStandardInput(fileDescriptor: Int32 = 0, onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
        let input = StandardInputReader.read(fileDescriptor: fileDescriptor, limit: maxInputBytes)
        guard let total = input.oversizedTotal else {
            return try ingest([InputItem(path: "-", kind: .bytes(input.bytes))], onRejection: onRejection)
        }
        let loaded = LoadedInput(
            item: InputItem(path: "-", kind: .bytes([])),
            failure: "the input is \(total) bytes, more than the \(maxInputBytes)-byte limit for one input",
            preview: Array(input.bytes.prefix(64 << 10)))
        let prepared = assemble([loaded], fates: try process([loaded]))
        return finish(prepared, outcomes: try store.commit(prepared.batch), onRejection: onRejection)
    }

    /// Inputs processed in parallel at a time: enough to keep every core busy, few enough that what they
    /// inflate to (up to the 16 MiB cap each) stays small.
    static let groupSize = max(2, ProcessInfo.processInfo.activeProcessorCount)

    /// Inputs gathered into batches as they come. While one batch commits on its own thread, the next is
    /// read and decoded: the commit is the one part that cannot run on every core, so it overlaps with work
    /// that can.
    struct BatchRun {
        let ingester: Ingester
        /// Read, not yet processed (at most `groupSize`).
        var loaded: [LoadedInput] = []
        /// Processed, waiting for the batch to fill.
        var inputs: [LoadedInput] = []
        var fates: [Fate] = []
        var bytes = 0
        /// What the processed inputs' reports hold: a batch ends by this too, since small gzip files can
        /// inflate to 16 MiB reports each.
        var reportBytes = 0
        var inFlight: (PreparedBatch, PendingCommit)?
        var tally = IngestTally()

        init(ingester: Ingester) {
            self.ingester = ingester
        }

        mutating func add(_ item: InputItem, onRejection: RejectionHandler) throws(StoreError) {
            let input = ingester.load(item)
            bytes += input.bytes?.count ?? 0
            loaded.append(input)
            if loaded.count >= Ingester.groupSize { try processLoaded() }
            if inputs.count >= ingester.batchSize || bytes >= ingester.maxBatchBytes || reportBytes >= ingester.maxBatchReportBytes {
                try flush(onRejection: onRejection)
            }
        }

        mutating func processLoaded() throws(StoreError) {
            guard !loaded.isEmpty else { return }
            let processed = try ingester.process(loaded)
            for case .processed(let result, _) in processed {
                // The canonical JSON's size stands for the decoded model's, which is about as large.
                reportBytes += result.reports.reduce(0) { $0 + $1.rawGzip.count + $1.canonicalSize }
            }
            inputs += loaded
            fates += processed
            loaded = []
        }

        mutating func flush(onRejection: RejectionHandler) throws(StoreError) {
            try processLoaded()
            guard !inputs.isEmpty else { return }
            let prepared = ingester.assemble(inputs, fates: fates)
            inputs = []
            fates = []
            bytes = 0
            reportBytes = 0
            try settleInFlight(onRejection: onRejection)
            inFlight = (prepared, PendingCommit(store: ingester.store, batch: prepared.batch))
        }

        mutating func settleInFlight(onRejection: RejectionHandler) throws(StoreError) {
            guard let (previous, commit) = inFlight else { return }
            inFlight = nil
            tally += ingester.finish(previous, outcomes: try commit.wait(), onRejection: onRejection)
        }

        mutating func finish(onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
            try flush(onRejection: onRejection)
            try settleInFlight(onRejection: onRejection)
            return tally
        }
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

    enum Fate: Sendable {
        case vanished
        case seen(InputOutcome)
        case processed(InputProcessor.Result, hash: [UInt8]?)
    }

    /// A batch decoded and ready to commit, with what is needed to settle its inputs afterwards.
    struct PreparedBatch: Sendable {
        var inputs: [LoadedInput]
        var fates: [Fate]
        var batch: StoreBatch
        var rejectedInputs: Set<Int>
    }

    /// A commit running on its own thread; `wait()` returns its outcome.
    final class PendingCommit: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var result: Result<[InsertOutcome], StoreError>?

        init(store: ReportStore, batch: StoreBatch) {
            Thread.detachNewThread { [self] in
                do throws(StoreError) {
                    result = .success(try store.commit(batch))
                } catch {
                    result = .failure(error)
                }
                done.signal()
            }
        }

        func wait() throws(StoreError) -> [InsertOutcome] {
            done.wait()
            return try result!.get()
        }
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

    /// Hashes the inputs, skips those seen before, and decodes the rest on every core.
    func process(_ inputs: [LoadedInput]) throws(StoreError) -> [Fate] {
        let hashes: [[UInt8]?] = inputs.parallelMap { input in input.bytes.map(ContentHash.sha256) }
        let seen = try store.seenInputs(hashes.compactMap { $0 })
        let processor = self.processor
        let fates: [Fate] = Array(zip(inputs, hashes)).parallelMap { pair in
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

    /// The store batch of processed inputs: their reports, rejections and input hashes.
    func assemble(_ inputs: [LoadedInput], fates: [Fate]) -> PreparedBatch {
        var batch = StoreBatch()
        var rejectedInputs = Set<Int>()
        for (index, fate) in fates.enumerated() {
            guard case .processed(let result, let hash) = fate else { continue }
            let input = inputs[index]
            batch.reports.append(contentsOf: result.reports)
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
        return PreparedBatch(inputs: inputs, fates: fates, batch: batch, rejectedInputs: rejectedInputs)
    }

    /// After the commit: tally, tell, and move maildir messages where their outcome says.
    func finish(_ prepared: PreparedBatch, outcomes: [InsertOutcome], onRejection: RejectionHandler) -> IngestTally {
        var tally = IngestTally()
        for outcome in outcomes {
            switch outcome {
            case .stored(_, let conflict):
                tally.ingested += 1
                if conflict { tally.conflicts += 1 }
            case .duplicate: tally.duplicates += 1
            }
        }
        for rejection in prepared.batch.rejections {
            onRejection(rejection.provenance.name, rejection.reason)
            tally.rejected += 1
        }
        for (index, fate) in prepared.fates.enumerated() {
            let input = prepared.inputs[index]
            switch fate {
            case .vanished:
                continue  // another process moved it; it is that process's to count
            case .seen(let outcome):
                tally.duplicates += 1
                Self.settle(input.item, rejected: outcome == .rejected)
            case .processed:
                Self.settle(input.item, rejected: prepared.rejectedInputs.contains(index))
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
