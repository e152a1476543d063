import ArgumentParser
import ForesightCore
import ForesightStore
import Foundation

/// `--state PATH`, `--no-state`, `--reset-state`, `--checkpoint-every S`: the durable state of a log.
struct StateOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The state file (SQLite): checkpoints of the engine and erasures; `none`: no state file, as --no-state (like --quarantine none). Default: FILE.foresight.sqlite next to the log.", valueName: "path"))
    var state: String?

    @Flag(help: "Use no state file: replay the whole log and write nothing.")
    var noState = false

    @Flag(help: "Discard the saved checkpoint (erasures are kept) and replay the log from the start.")
    var resetState = false

    @Option(help: ArgumentHelp("Seconds between two checkpoints while reading (0: only on exit).", valueName: "seconds"))
    var checkpointEvery: Double = 30

    @Flag(help: "Show and export customer ids, emails and names as pseudonyms (a keyed hash: the key is FORESIGHT_REDACT_KEY, else one kept in the state file).")
    var redact = false

    func validate() throws {
        guard checkpointEvery >= 0 else { throw ValidationError("--checkpoint-every takes seconds, 0 or more") }
        if noState && state != nil { throw ValidationError("--state and --no-state exclude each other") }

    }

    /// The state file for a log, or nil for none (`--no-state`, `--state none`, or standard input without `--state`).
    func path(forLog log: String) -> String? {
        if noState || state == "none" { return nil }
        if let state { return state }
        return log == "-" ? nil : StateStore.defaultPath(forLog: log)
    }
}

/// A pipeline restored from a state file (or fresh), and where to resume the log.
struct StateSession {
    var pipeline: IngestPipeline
    var resume: ResumePlan
    var store: StateStore?
    var written: WrittenState
    /// Whether the pipeline came from a checkpoint.
    var restored: Bool

    /// The pseudonyms of `--redact`: keyed by FORESIGHT_REDACT_KEY, else by the key kept in the state file,
    /// else (no state) by a key of this run only, with a warning.
    static func redaction(_ options: LogOptions, store: StateStore?) throws -> Redaction? {
        guard options.stateOptions.redact else { return nil }
        if let text = ProcessInfo.processInfo.environment["FORESIGHT_REDACT_KEY"], !text.isEmpty { return Redaction(key: Array(text.utf8)) }
        var opened = store
        if opened == nil, let path = options.stateOptions.path(forLog: options.file) {
            do { opened = try StateStore(path: path) } catch { throw CLIError(error.description) }
        }
        if let opened {
            do { return Redaction(key: try opened.redactionKey()) } catch { throw CLIError(error.description) }
        }
        printError("note: --redact without a state file or FORESIGHT_REDACT_KEY: pseudonyms are valid for this run only")
        var rng = SystemRandomNumberGenerator()
        return Redaction(key: (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    /// Opens the state of `options.file` and restores its checkpoint.
    /// - Parameter create: create the state file when missing (dashboard, report); otherwise a missing file
    ///   means no state.
    static func open(_ options: LogOptions, create: Bool) throws -> StateSession {
        let source = options.file == "-" ? "stdin" : options.file
        var fresh = StateSession(pipeline: IngestPipeline(engine: Engine(config: options.engineConfig), sourceName: source),
                                 resume: .fromStart, store: nil, written: WrittenState(), restored: false)
        guard let path = options.stateOptions.path(forLog: options.file) else {
            fresh.pipeline.engine.redaction = try redaction(options, store: nil)
            return fresh
        }
        if options.file == "-" {
            throw CLIError("--state needs a log file: standard input has no offset to resume from. Run without --state, or save the stream to a file first.")
        }
        // No state for a log that is missing: the replay then says so (and no state file is left behind).
        if !FileManager.default.fileExists(atPath: path) && (!create || !FileManager.default.fileExists(atPath: options.file)) {
            fresh.pipeline.engine.redaction = try redaction(options, store: nil)
            return fresh
        }
        let store: StateStore
        do { store = try StateStore(path: path) } catch { throw CLIError(error.description) }
        var session = fresh
        session.store = store
        // Campaign triggers set on this pipeline keep their suppressed decisions for the checkpoints.
        session.pipeline.checkpointsCampaigns = true
        var loaded: LoadedCheckpoint?
        do { loaded = options.stateOptions.resetState ? nil : try store.loadCheckpoint() } catch { throw CLIError(error.description) }
        if let l = loaded, l.engine.config != options.engineConfig {
            printError("note: \(path) was built with other settings (session gap, line limit or duplicate window); replaying \(options.file) from the start")
            loaded = nil
        }
        if let l = loaded, let position = l.position {
            let here = URL(fileURLWithPath: options.file).standardizedFileURL.path
            let there = URL(fileURLWithPath: position.path).standardizedFileURL.path
            if here != there {
                throw CLIError("The state file \(path) follows \(position.path), not \(options.file). Give this log its own state (--state OTHER), or pass --reset-state to rebuild this one from \(options.file).")
            }
            session.resume = ResumePlan.resume(path: options.file, from: position)
            if let notice = session.resume.notice { printError("note: " + notice) }
        }
        if let l = loaded {
            session.pipeline.engine = l.engine
            session.pipeline.appliedErasure = l.appliedSuppression
            session.pipeline.position = l.position
            session.written = l.written
            session.restored = true
            // Applied to the runner of `setCampaigns` (before or after this) when its triggers are the same.
            session.pipeline.restoreCampaigns(l.campaigns)
        }
        session.pipeline.engine.redaction = try redaction(options, store: store)
        // Erasures recorded since the checkpoint (or all of them, for a fresh engine: their keys stay suppressed).
        do {
            let pending = try store.pendingErasures(after: session.pipeline.appliedErasure)
            if !pending.keyHashes.isEmpty {
                session.pipeline.forget(keyHashes: pending.keyHashes)
                session.pipeline.appliedErasure = pending.lastID
                session.written.invalidate()
            }
        } catch { throw CLIError("\(error)") }
        return session
    }

    /// Reads the log from the resume point to its current end through the live ingest path (checkpointing
    /// every `--checkpoint-every` seconds when `checkpoints`), writes a last checkpoint, then reads an
    /// unfinished last line into the returned pipeline only (a later run reads it again from the checkpoint,
    /// once its newline has arrived).
    func readToEnd(_ options: LogOptions, checkpoints: Bool) throws -> IngestPipeline {
        let ingestor = LiveIngestor(path: options.file, pipeline: pipeline, quarantinePath: options.quarantinePath,
                                    batchBytes: 1 << 20, resume: resume)
        let checkpointer = checkpoints ? store.map {
            Checkpointer(store: $0, ingestor: ingestor, interval: options.stateOptions.checkpointEvery, written: written)
        } : nil
        ingestor.start()
        checkpointer?.start()
        while ingestor.progress.replaying && ingestor.progress.error == nil && ingestor.isRunning { usleep(2_000) }
        ingestor.stop(timeout: 60)
        let progress = ingestor.progress
        if let error = progress.error {
            checkpointer?.stop()
            throw CLIError(error)
        }
        for notice in progress.notices where notice != resume.notice { printError("note: " + notice) }
        if let checkpointer {
            checkpointer.stop()
            if let error = checkpointer.current.error { printError("warning: the last checkpoint failed: \(error)") }
        }
        var result = ingestor.read { $0 }
        Self.readUnfinishedLine(into: &result, options: options)
        return result
    }

    /// Hands an unfinished last line (no newline yet) to the pipeline, as a one-shot replay does.
    static func readUnfinishedLine(into pipeline: inout IngestPipeline, options: LogOptions) {
        guard let position = pipeline.position else { return }
        guard let handle = FileHandle(forReadingAtPath: options.file) else { return }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(position.offset))) != nil,
              let rest = try? handle.readToEnd(), !rest.isEmpty, rest.count <= options.maxLineBytes * 2 else { return }
        var splitter = LineSplitter(maxLineBytes: options.maxLineBytes, startOffset: position.offset, startLine: position.line)
        let writer = options.quarantinePath.map { QuarantineWriter(path: $0) }
        rest.withUnsafeBytes { bytes in
            splitter.feed(bytes) { pipeline.consume($0, quarantine: writer) }
            splitter.finish { pipeline.consume($0, quarantine: writer) }
        }
        writer?.flush()
    }
}

/// The readable copies a dashboard writes with each checkpoint: the model cards and the segment sizes.
enum StateExtras {
    static func gather(ingestor: LiveIngestor, models: ModelRefresher) -> CheckpointExtras {
        var extras = CheckpointExtras()
        if let m = models.models {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            func add<T: Encodable>(_ name: String, _ card: T?) {
                guard let card, let data = try? encoder.encode(card) else { return }
                extras.models.append((name, m.fittedAt, String(decoding: data, as: UTF8.self)))
            }
            add("bgnbd", m.transactions?.card)
            add("gamma_gamma", m.spend?.card)
            add("churn", m.churn?.card)
        }
        extras.segmentSizes = ingestor.read { p in
            guard let s = p.segments else { return [] }
            let times = s.history.sampleTimes
            var out: [(time: Int64, segment: String, size: Int)] = []
            for name in s.catalog.sizes().map(\.name) {
                for (i, size) in s.history.sizes(of: name).enumerated() where i < times.count {
                    if let size { out.append((times[i], name, size)) }
                }
            }
            return out
        }
        return extras
    }
}
