import Foundation
import Synchronization
package import TLSRPTProcessing
package import TLSRPTStore

/// Runs inputs through the pipeline in batches: read and hash, skip what was seen, decode on every
/// core, commit the batch in one transaction, and only then move maildir messages.
///
/// Committing before moving is what makes a kill -9 harmless: a message still in `new/` after a crash is
/// either uncommitted (read again) or committed and remembered in `seen_input` (moved on the rerun,
/// counted as a duplicate). Nothing is ever deleted.
package final class Ingester: Sendable {
    package typealias RejectionHandler = @Sendable (_ input: String, _ reason: String) -> Void

    package let store: any ReportStorage
    package let processor: InputProcessor
    /// Inputs per transaction: large enough to amortise the commit, small enough to keep memory flat.
    package let batchSize: Int
    /// A batch also ends when its inputs add up to this many bytes.
    package let maxBatchBytes: Int
    /// A batch also ends when the reports decoded from it add up to this many bytes (of canonical JSON):
    /// small gzip files can inflate to 16 MiB reports each, and a batch holds them until its commit.
    package let maxBatchReportBytes: Int
    /// Inputs larger than this are refused without being read (a report mail is a few KB; 64 MiB leaves
    /// room for a base64 attachment at the 16 MiB decompressed cap).
    package let maxInputBytes: Int
    /// Told what each commit stored, right after it (alerting); it must return at once.
    package let afterCommit: CommitObserver?

    package init(
        store: any ReportStorage, processor: InputProcessor = InputProcessor(), batchSize: Int = 512,
        maxBatchBytes: Int = 64 << 20, maxBatchReportBytes: Int = 8 << 20, maxInputBytes: Int = 64 << 20,
        afterCommit: CommitObserver? = nil
    ) {
        self.store = store
        self.processor = processor
        self.batchSize = batchSize
        self.maxBatchBytes = maxBatchBytes
        self.maxBatchReportBytes = maxBatchReportBytes
        self.maxInputBytes = maxInputBytes
        self.afterCommit = afterCommit
    }

    /// Ingests the files, folders and maildirs named by `paths`, batch by batch as the walk finds them.
    package func ingest(paths: [String], onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
        var run = BatchRun(ingester: self)
        defer { run.waitForMoves() }
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

    package func ingest(_ items: [InputItem], onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
        var run = BatchRun(ingester: self)
        defer { run.waitForMoves() }
        for item in items { try run.add(item, onRejection: onRejection) }
        return try run.finish(onRejection: onRejection)
    }

    /// Ingests one input read from `fileDescriptor` (standard input). An input over `maxInputBytes` is read
    /// to its end but not kept whole: its rejection is recorded with its first 64 KiB, so a person can see
    /// what it was.
    package func ingestStandardInput(fileDescriptor: Int32 = 0, onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
        let input = StandardInputReader.read(fileDescriptor: fileDescriptor, limit: maxInputBytes)
        guard let total = input.oversizedTotal else {
            return try ingest([InputItem(path: "-", kind: .bytes(input.bytes))], onRejection: onRejection)
        }
        let loaded = LoadedInput(
            item: InputItem(path: "-", kind: .bytes([])),
            failure: "the input is \(total) bytes, more than the \(maxInputBytes)-byte limit for one input",
            preview: Array(input.bytes.prefix(64 << 10)))
        let prepared = assemble([loaded], fates: try process([loaded]))
        let outcomes = try store.commit(prepared.batch)
        afterCommit?(prepared.batch.reports, outcomes)
        return finish(prepared, outcomes: outcomes, onRejection: onRejection)
    }

    /// Inputs read and decoded per dispatch to every core: enough that waking the workers costs little
    /// next to the work (two at a time spent a third of the CPU in thread wake-ups), few enough that a
    /// group's reports are a small part of a batch. Memory is bounded by the byte budgets, not by this.
    static let groupSize = 64
    /// What one group may read before its remaining inputs wait for the next group.
    static let maxGroupBytes = 16 << 20

    /// Inputs gathered into batches as they come. While one batch commits on its own thread, the next is
    /// read and decoded: the commit is the one part that cannot run on every core, so it overlaps with work
    /// that can.
    struct BatchRun {
        let ingester: Ingester
        /// Found, not yet read.
        var queued: [InputItem] = []
        /// Read and hashed, not yet decoded (left over when a group reached the batch's report budget).
        var loaded: [LoadedInput] = []
        /// Processed, waiting for the batch to fill.
        var inputs: [LoadedInput] = []
        var fates: [Fate] = []
        var bytes = 0
        /// What the processed inputs' reports hold: a batch ends by this too, since small gzip files can
        /// inflate to 16 MiB reports each.
        var reportBytes = 0
        var inFlight: (PreparedBatch, PendingCommit)?
        /// The last committed batch, whose maildir moves may still be going on.
        var moving: PendingCommit?
        var tally = IngestTally()

        init(ingester: Ingester) {
            self.ingester = ingester
        }

        mutating func add(_ item: InputItem, onRejection: RejectionHandler) throws(StoreError) {
            queued.append(item)
            if queued.count + loaded.count >= Ingester.groupSize { try step(onRejection: onRejection) }
        }

        /// Cores to read and decode on: all of them, but one while a commit is running. The single writer is
        /// the slowest stage; with two decoding threads beside it on two cores it got two thirds of a core
        /// (0.31-0.36 s of wall time for 0.26 s of CPU in a 10,000-report ingest) and the run waited for it.
        var workers: Int {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            guard let (_, commit) = inFlight, !commit.isCommitted else { return cores }
            return max(1, cores - 1)
        }

        /// Reads, hashes and decodes one group on every core, and hands the batch to a commit when it is full.
        mutating func step(onRejection: RejectionHandler) throws(StoreError) {
            if !queued.isEmpty && loaded.count < Ingester.groupSize {
                let ingester = self.ingester
                let group = Array(queued.prefix(Ingester.groupSize - loaded.count))
                let read = group.parallelPrefixMap(budget: Ingester.maxGroupBytes, cost: { $0.bytes?.count ?? 0 }, workers: workers) {
                    ingester.load($0)
                }
                queued.removeFirst(read.count)
                loaded += read
            }
            // Half the room left: each core may claim one more input before it sees the budget spent, and
            // an input's reports can be as large as the budget itself.
            let room = (ingester.maxBatchReportBytes - reportBytes) / 2
            let processed = try ingester.process(loaded, reportBudget: max(1, room), workers: workers)
            for (input, fate) in zip(loaded, processed) {
                bytes += input.bytes?.count ?? 0
                reportBytes += fate.reportBytes
            }
            inputs += loaded.prefix(processed.count)
            fates += processed
            loaded.removeFirst(processed.count)
            if inputs.count >= ingester.batchSize || bytes >= ingester.maxBatchBytes || reportBytes >= ingester.maxBatchReportBytes {
                try flush(onRejection: onRejection)
            }
        }

        mutating func flush(onRejection: RejectionHandler) throws(StoreError) {
            guard !inputs.isEmpty else { return }
            let prepared = ingester.assemble(inputs, fates: fates)
            inputs = []
            fates = []
            bytes = 0
            reportBytes = 0
            try settleInFlight(onRejection: onRejection)
            inFlight = (prepared, PendingCommit(store: ingester.store, prepared: prepared, afterCommit: ingester.afterCommit))
        }

        mutating func settleInFlight(onRejection: RejectionHandler) throws(StoreError) {
            guard let (previous, commit) = inFlight else { return }
            inFlight = nil
            // At most one batch's moves run beside the next commit.
            moving?.waitForMoves()
            moving = commit
            tally += ingester.finish(previous, outcomes: try commit.wait(), onRejection: onRejection)
        }

        /// Waits for the last committed batch's moves (also when the run ends with an error), so that no
        /// message is left in `new/` that the commit allowed to move.
        func waitForMoves() {
            moving?.waitForMoves()
            inFlight?.1.waitForMoves()
        }

        mutating func finish(onRejection: RejectionHandler) throws(StoreError) -> IngestTally {
            while !queued.isEmpty || !loaded.isEmpty {
                try step(onRejection: onRejection)
            }
            try flush(onRejection: onRejection)
            try settleInFlight(onRejection: onRejection)
            return tally
        }
    }

    // MARK: - One batch

    struct LoadedInput: Sendable {
        var item: InputItem
        var bytes: [UInt8]?
        /// SHA-256 of `bytes`, the key of `seen_input`.
        var hash: [UInt8]?
        var failure: String?
        var vanished = false
        /// The beginning of an input too large to keep, recorded with its rejection when it has no other home.
        var preview: [UInt8]?
    }

    enum Fate: Sendable {
        case vanished
        case seen(InputOutcome)
        case processed(InputProcessor.Result, hash: [UInt8]?)

        /// What the decoded reports hold in memory until their commit. The canonical JSON's size stands
        /// for the decoded model's, which is about as large.
        var reportBytes: Int {
            guard case .processed(let result, _) = self else { return 0 }
            return result.reports.reduce(0) { $0 + $1.rawGzip.count + $1.canonicalSize }
        }
    }

    /// A batch decoded and ready to commit, with what is needed to settle its inputs afterwards.
    struct PreparedBatch: Sendable {
        var inputs: [LoadedInput]
        var fates: [Fate]
        var batch: StoreBatch
        var rejectedInputs: Set<Int>
        /// `reportInputs[i]` is the index in `inputs` of the input `batch.reports[i]` came from.
        var reportInputs: [Int] = []

        /// The rejected inputs once the commit has said which reports the database refused: those rejected
        /// before it, and those whose every report it refused.
        func rejectedInputs(after outcomes: [InsertOutcome]) -> Set<Int> {
            var stored = Set<Int>()
            var refused = Set<Int>()
            for (report, outcome) in zip(reportInputs.indices, outcomes) {
                if case .rejected = outcome { refused.insert(reportInputs[report]) } else { stored.insert(reportInputs[report]) }
            }
            return rejectedInputs.union(refused.subtracting(stored))
        }
    }

    /// A commit running on its own thread, followed there by the maildir moves it allows. `wait()` returns
    /// once the commit is done, so the next batch's commit can start while ten thousand renames go on;
    /// `waitForMoves()` once the moves are done too.
    final class PendingCommit: @unchecked Sendable {
        private let committed = DispatchSemaphore(value: 0)
        private let moved = DispatchSemaphore(value: 0)
        private let done = Atomic<Bool>(false)
        private var result: Result<[InsertOutcome], StoreError>?

        /// True once the commit has finished (its moves may still be going on).
        var isCommitted: Bool { done.load(ordering: .acquiring) }

        init(store: any ReportStorage, prepared: PreparedBatch, afterCommit: CommitObserver?) {
            Thread.detachNewThread { [self] in
                do throws(StoreError) {
                    let outcomes = try store.commit(prepared.batch)
                    afterCommit?(prepared.batch.reports, outcomes)
                    result = .success(outcomes)
                    done.store(true, ordering: .releasing)
                    committed.signal()
                    Ingester.settleInputs(prepared, outcomes: outcomes)
                } catch {
                    result = .failure(error)
                    done.store(true, ordering: .releasing)
                    committed.signal()
                }
                moved.signal()
            }
        }

        func wait() throws(StoreError) -> [InsertOutcome] {
            committed.wait()
            return try result!.get()
        }

        func waitForMoves() {
            moved.wait()
            moved.signal()  // so that waiting again returns at once
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
            return LoadedInput(item: item, bytes: bytes, hash: ContentHash.sha256(bytes))
        case .file, .maildirMessage:
            switch FileReader.read(item.path, limit: maxInputBytes) {
            case .success(let bytes): return LoadedInput(item: item, bytes: bytes, hash: ContentHash.sha256(bytes))
            case .failure(.vanished): return LoadedInput(item: item, vanished: true)
            case .failure(.tooLarge(let size)):
                return LoadedInput(item: item, failure: "the file is \(size) bytes, more than the \(maxInputBytes)-byte limit for one input")
            case .failure(.unreadable(let reason)): return LoadedInput(item: item, failure: "cannot read: \(reason)")
            }
        }
    }

    /// Skips the inputs seen before and decodes the rest on every core, as far as `reportBudget` goes:
    /// the fates returned are those of a prefix of `inputs` (at least one).
    func process(
        _ inputs: [LoadedInput], reportBudget: Int = .max, workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws(StoreError) -> [Fate] {
        let seen = try store.seenInputs(inputs.compactMap(\.hash))
        let processor = self.processor
        return inputs.parallelPrefixMap(budget: reportBudget, cost: \.reportBytes, workers: workers) { input in
            if input.vanished { return .vanished }
            if let hash = input.hash, let outcome = seen[hash] { return .seen(outcome) }
            guard let bytes = input.bytes else {
                return .processed(InputProcessor.Result(reports: [], problems: [input.failure ?? "cannot read"]), hash: nil)
            }
            return .processed(processor.process(bytes, provenance: Self.provenance(of: input.item)), hash: input.hash)
        }
    }

    /// The store batch of processed inputs: their reports, rejections and input hashes.
    func assemble(_ inputs: [LoadedInput], fates: [Fate]) -> PreparedBatch {
        var batch = StoreBatch()
        var rejectedInputs = Set<Int>()
        var reportInputs: [Int] = []
        for (index, fate) in fates.enumerated() {
            guard case .processed(let result, let hash) = fate else { continue }
            let input = inputs[index]
            batch.reports.append(contentsOf: result.reports)
            reportInputs += repeatElement(index, count: result.reports.count)
            if !result.reports.isEmpty {
                let origin = ReportOrigin(
                    inputHash: hash, keptAtIfRejected: Self.keptAt(input.item, rejected: true),
                    keptAtIfStored: Self.keptAt(input.item, rejected: false), raw: Self.needsRawCopy(input.item) ? input.bytes : nil)
                batch.origins += repeatElement(origin, count: result.reports.count)
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
        return PreparedBatch(inputs: inputs, fates: fates, batch: batch, rejectedInputs: rejectedInputs, reportInputs: reportInputs)
    }

    /// After the commit (and its moves): tally and tell.
    func finish(_ prepared: PreparedBatch, outcomes: [InsertOutcome], onRejection: RejectionHandler) -> IngestTally {
        var tally = IngestTally()
        for (report, outcome) in outcomes.enumerated() {
            switch outcome {
            case .stored(_, let conflict):
                tally.ingested += 1
                if conflict { tally.conflicts += 1 }
            case .duplicate: tally.duplicates += 1
            case .rejected(let reason):
                onRejection(prepared.batch.reports[report].provenance.name, reason)
                tally.rejected += 1
            }
        }
        for rejection in prepared.batch.rejections {
            onRejection(rejection.provenance.name, rejection.reason)
            tally.rejected += 1
        }
        for fate in prepared.fates {
            guard case .seen(let outcome) = fate else { continue }
            tally.duplicates += 1
            if outcome == .rejected { tally.rejectedBefore += 1 }
        }
        return tally
    }

    /// Moves each maildir message of a committed batch where its outcome says.
    static func settleInputs(_ prepared: PreparedBatch, outcomes: [InsertOutcome]) {
        let rejectedInputs = prepared.rejectedInputs(after: outcomes)
        for (index, fate) in prepared.fates.enumerated() {
            let input = prepared.inputs[index]
            switch fate {
            case .vanished:
                continue  // another process moved it; it is that process's to count
            case .seen(let outcome):
                settle(input.item, rejected: outcome == .rejected)
            case .processed:
                settle(input.item, rejected: rejectedInputs.contains(index))
            }
        }
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
