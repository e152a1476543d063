#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// An error writing generated events.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    /// What failed, with the path and the system's reason.
    public let description: String
}

/// A file descriptor that generated lines are written to with `write(2)`.
public struct FileOutput: ~Copyable {
    /// The descriptor.
    public let fd: Int32
    private let owned: Bool

    /// Standard output (not closed when done).
    public static func standardOutput() -> FileOutput {
        FileOutput(fd: 1, owned: false)
    }

    private init(fd: Int32, owned: Bool) {
        self.fd = fd
        self.owned = owned
    }

    /// Opens `path` for writing: truncated, or with `append` at its end (`O_APPEND`); created if missing.
    public init(path: String, append: Bool) throws(OutputError) {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else {
            throw OutputError(description: "cannot open \(path) for writing: \(String(cString: strerror(errno)))")
        }
        self.init(fd: fd, owned: true)
    }

    /// Writes all of `bytes`, normally with a single `write(2)`; retries on `EINTR` and short writes.
    public func write(_ bytes: [UInt8]) throws(OutputError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure != 0 {
            throw OutputError(description: "write failed: \(String(cString: strerror(failure)))")
        }
    }

    deinit {
        if owned { close(fd) }
    }
}
