import Foundation
import Synchronization

/// The outbox: one JSON line per fired message, appended for a delivery system to read, each message
/// exactly once.
///
/// Exactly once rests on two things: a message's id is a function of its trigger, customer and cause, so a
/// replay after a restart or a crash makes the same ids; and the outbox reads the ids it already holds
/// when it opens, so it never writes one twice. A line torn by a crash (no newline at the end) is cut
/// when the file is opened: its message is written again, whole. Each append is one `write` followed by
/// `fsync`, so a message is on disk before the state that remembers it.
public final class Outbox: Sendable {
    public let path: String
    private let fd: Int32
    /// What opening the file found: lines kept, and bytes cut from a torn last line.
    public let linesAtOpen: Int
    public let tornBytesCut: Int
    private let state: Mutex<Set<ActionID>>

    /// Opens (or creates) the outbox at `path` and reads the ids it holds.
    /// - Throws: ``OutboxError`` when the file cannot be opened, read or repaired, or a line is not an outbox line.
    public init(path: String) throws(OutboxError) {
        self.path = path
        let file = try DecisionFile.open(path, kind: "outbox")
        fd = file.fd
        linesAtOpen = file.lines
        tornBytesCut = file.tornBytes
        state = Mutex(file.ids)
    }

    deinit { close(fd) }

    /// The ids the outbox holds (the runner treats these messages as sent).
    public var ids: Set<ActionID> { state.withLock { $0 } }

    /// Appends the fired decisions whose id the outbox does not hold yet, and syncs them to disk.
    /// - Returns: the number of lines written.
    @discardableResult
    public func append(_ decisions: [CampaignDecision]) throws(OutboxError) -> Int {
        let written = try DecisionFile.append(decisions.lazy.filter(\.fired), ids: state, to: fd, path: path, kind: "outbox")
        guard written > 0 else { return 0 }
        guard fsync(fd) == 0 else { throw OutboxError("cannot sync the outbox \(path): \(String(cString: strerror(errno)))") }
        return written
    }

    /// The id at the start of an outbox line: `{"id":"<32 hex>"`.
    static func id(in line: ArraySlice<UInt8>) -> ActionID? {
        let prefix = Array("{\"id\":\"".utf8)
        guard line.count >= prefix.count + 33, line.starts(with: prefix) else { return nil }
        let start = line.startIndex + prefix.count
        return ActionID(hex: String(decoding: line[start..<(start + 32)], as: UTF8.self))
    }
}

/// What the outbox and the suppressed file share: a file of decision lines, each starting with its id, opened
/// for appending with the ids it holds read (a line torn by a crash cut), and written a batch per `write`.
enum DecisionFile {
    struct Opened {
        var fd: Int32
        var ids: Set<ActionID>
        var lines: Int
        var tornBytes: Int
    }

    /// Opens (or creates) the file at `path` and reads the ids of its lines; `kind` names it in errors.
    static func open(_ path: String, kind: String) throws(OutboxError) -> Opened {
        let fd = Foundation.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutboxError("cannot open the \(kind) \(path): \(String(cString: strerror(errno)))") }
        guard let data = FileManager.default.contents(atPath: path) else {
            close(fd)
            throw OutboxError("cannot read the \(kind) \(path)")
        }
        var ids = Set<ActionID>()
        var lines = 0
        var keep = 0
        var lineStart = 0
        let bytes = [UInt8](data)
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            if i > lineStart {
                guard let id = Outbox.id(in: bytes[lineStart..<i]) else {
                    close(fd)
                    throw OutboxError("\(path):\(lines + 1): not a line of the \(kind) (no \"id\" of 32 hex digits at its start); move the file away or fix the line")
                }
                ids.insert(id)
                lines += 1
            }
            lineStart = i + 1
            keep = i + 1
        }
        let torn = bytes.count - keep
        if torn > 0 {
            guard ftruncate(fd, off_t(keep)) == 0 else {
                close(fd)
                throw OutboxError("cannot cut the torn last line of \(path): \(String(cString: strerror(errno)))")
            }
        }
        return Opened(fd: fd, ids: ids, lines: lines, tornBytes: torn)
    }

    /// Appends the decisions whose id is not in `ids` yet (once each), adding them to it (and taking them out
    /// again when the write fails).
    /// - Returns: the number of lines written.
    static func append<S: Sequence<CampaignDecision>>(_ decisions: S, ids state: borrowing Mutex<Set<ActionID>>, to fd: Int32,
                                                      path: String, kind: String) throws(OutboxError) -> Int {
        let fresh: [CampaignDecision] = state.withLock { ids in
            var out: [CampaignDecision] = []
            for d in decisions where ids.insert(d.id).inserted { out.append(d) }
            return out
        }
        guard !fresh.isEmpty else { return 0 }
        do {
            try write(fresh, to: fd, path: path, kind: kind)
        } catch {
            state.withLock { ids in for d in fresh { ids.remove(d.id) } }
            throw error
        }
        return fresh.count
    }

    /// Writes the decisions' lines with as few `write` calls as the system allows.
    private static func write(_ decisions: [CampaignDecision], to fd: Int32, path: String, kind: String) throws(OutboxError) {
        var text = ""
        for d in decisions { text += d.jsonLine + "\n" }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress?.advanced(by: written), $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw OutboxError("cannot write to the \(kind) \(path): \(String(cString: strerror(errno)))")
            }
            written += n
        }
    }
}

/// Why the outbox cannot be used.
public struct OutboxError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Lines of decisions that did not fire (suppressed, held out), appended to an optional second file, each once:
/// as the outbox, it reads the ids it holds when it opens (a torn last line cut), so a replay after a restart or
/// a crash, or a second run over the same log, adds only the decisions it does not hold.
public final class SuppressedLog: Sendable {
    public let path: String
    private let fd: Int32
    private let state: Mutex<Set<ActionID>>

    /// Opens (or creates) the file at `path` and reads the ids it holds.
    /// - Throws: ``OutboxError`` when the file cannot be opened, read or repaired, or a line is not a decision line.
    public init(path: String) throws(OutboxError) {
        self.path = path
        let file = try DecisionFile.open(path, kind: "suppressed file")
        fd = file.fd
        state = Mutex(file.ids)
    }

    deinit { close(fd) }

    /// Appends the decisions that did not fire and that the file does not hold yet.
    /// - Returns: the number of lines written.
    @discardableResult
    public func append(_ decisions: [CampaignDecision]) throws(OutboxError) -> Int {
        try DecisionFile.append(decisions.lazy.filter { !$0.fired }, ids: state, to: fd, path: path, kind: "suppressed file")
    }
}
