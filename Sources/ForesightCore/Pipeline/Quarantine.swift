#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends rejected lines to a quarantine file, one JSON object per line:
/// `{"file":…,"offset":…,"line":…,"reason":…,"column":…,"detail":…,"text":…}`.
///
/// Buffered; call ``flush()`` at the end of a batch. Owned by the ingest thread.
public final class QuarantineWriter {
    public let path: String
    /// Opened on the first rejected line, so a clean log leaves no empty file behind.
    private var descriptor: Int32 = -1
    private var buffer: [UInt8] = []
    /// Lines written since the writer was opened.
    public private(set) var written = 0
    /// Why the file could not be written, if it could not (the lines are still counted and kept on screen).
    public private(set) var failure: QuarantineError?

    /// A writer that appends to `path` (creating it) from the first rejected line on.
    public init(path: String) {
        self.path = path
    }

    deinit {
        flush()
        if descriptor >= 0 { close(descriptor) }
    }

    /// Queues one rejected line.
    public func write(_ rejected: RejectedLine) {
        var s = "{\"file\":" + jsonQuoted(rejected.file)
        s += ",\"offset\":\(rejected.offset),\"line\":\(rejected.line),\"reason\":\"\(rejected.reason.rawValue)\""
        s += ",\"column\":\(rejected.column),\"detail\":" + jsonQuoted(rejected.detail)
        s += ",\"text\":" + jsonQuoted(rejected.text) + "}\n"
        buffer.append(contentsOf: s.utf8)
        written += 1
        if buffer.count >= 64 << 10 { flush() }
    }

    /// Writes what is queued.
    public func flush() {
        guard !buffer.isEmpty else { return }
        if descriptor < 0 && failure == nil {
            descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            if descriptor < 0 { failure = QuarantineError(path: path, reason: String(cString: strerror(errno))) }
        }
        guard descriptor >= 0 else { buffer.removeAll(keepingCapacity: true); return }
        buffer.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count, let base = raw.baseAddress {
                let n = Glibc.write(descriptor, base + done, raw.count - done)
                if n <= 0 { if errno == EINTR { continue } else { break } }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The quarantine file could not be opened.
public struct QuarantineError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String {
        "cannot write the quarantine file \(path): \(reason). Pass --quarantine PATH to put it elsewhere, or --quarantine none."
    }
}

/// A JSON string literal for `s`, with the escapes JSON requires.
public func jsonQuoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where u.value < 0x20:
            let hex = String(u.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}
