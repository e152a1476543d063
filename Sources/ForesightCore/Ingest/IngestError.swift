#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a log could not be opened or read. ``message`` says what, where and what to do.
public enum IngestError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path does not exist.
    case notFound(path: String)
    /// The path is a directory, not a log file.
    case isDirectory(path: String)
    /// This user may not read the file.
    case permissionDenied(path: String)
    /// The path is neither a regular file nor a stream that can be read (a socket, say).
    case unsupportedFileType(path: String, kind: String)
    /// `open(2)` failed for another reason.
    case openFailed(path: String, errno: Int32)
    /// `read(2)`, `pread(2)` or `fstat(2)` failed on an open log.
    case readFailed(path: String, errno: Int32)

    /// Maps the `errno` of a failed `open(2)` to the matching case.
    static func opening(_ path: String, errno code: Int32) -> IngestError {
        switch code {
        case ENOENT, ENOTDIR: return .notFound(path: path)
        case EACCES, EPERM: return .permissionDenied(path: path)
        case EISDIR: return .isDirectory(path: path)
        default: return .openFailed(path: path, errno: code)
        }
    }

    /// A sentence for the user: what went wrong, on which file, and what to do about it.
    public var message: String {
        switch self {
        case .notFound(let path):
            return "Cannot read the event log '\(path)': no such file\(Self.relativeHint(path)). "
                + "Check the path, or pass - to read events from standard input."
        case .isDirectory(let path):
            return "Cannot read the event log '\(path)': it is a directory. "
                + "Pass the JSON Lines file inside it instead, e.g. '\(path)/events.jsonl'."
        case .permissionDenied(let path):
            return "Cannot read the event log '\(path)': permission denied. "
                + "Make it readable by this user (chmod, or run as a user of its group)."
        case .unsupportedFileType(let path, let kind):
            return "Cannot read the event log '\(path)': it is a \(kind). "
                + "Pass a regular file, a named pipe, or - for standard input."
        case .openFailed(let path, let code):
            return "Cannot open the event log '\(path)': \(Self.describe(code)). "
                + "Check that the file is reachable and try again."
        case .readFailed(let path, let code):
            return "Reading the event log '\(path)' failed: \(Self.describe(code)). "
                + "Lines read before this point were kept; check the disk, then run again to resume."
        }
    }

    public var description: String { message }

    /// The system's text for an error number, with the number for searching.
    private static func describe(_ code: Int32) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }

    /// For a relative path, names the directory it was looked up in.
    private static func relativeHint(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return "" }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "" }
        let directory = buffer.withUnsafeBufferPointer { pointer in
            pointer.baseAddress.map { String(cString: $0) } ?? ""
        }
        return " in \(directory)"
    }
}
