import Foundation
import ForesightCore

extension EventParser {
    /// Parses a line given as a string (tests only).
    public mutating func parse(_ line: String) -> LineError? {
        var s = line
        return s.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Parses raw bytes (tests only).
    public mutating func parse(bytes: [UInt8]) -> LineError? {
        bytes.withUnsafeBytes { parse($0) }
    }

    /// The text of a field of the last parsed line (tests only).
    public mutating func text(_ span: Span, of line: String) -> String? {
        var s = line
        return s.withUTF8 { string(span, in: UnsafeRawBufferPointer($0)) }
    }
}

extension Engine {
    /// Ingests each line of a string (tests only).
    @discardableResult
    public mutating func ingest(lines text: String) -> [IngestOutcome] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            var s = String(line)
            return s.withUTF8 { ingest(UnsafeRawBufferPointer($0)) }
        }
    }

    /// The profile of a customer key, if present (tests only).
    public func profile(_ key: String) -> Profile? {
        customers.lookup(key).map { profiles[Int($0)] }
    }
}

/// A temporary directory removed by `cleanup()`.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(_ prefix: String = "foresight-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        let dir = base + "/\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        path = dir
    }

    public func file(_ name: String) -> String { path + "/" + name }

    public func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Parses an ISO-8601 literal in tests (traps on a typo in the test itself).
public func ms(_ iso: String) -> Int64 {
    var s = iso
    guard let v = s.withUTF8({ Timestamp.parseISO8601(UnsafeRawBufferPointer($0)) }) else {
        preconditionFailure("bad test timestamp \(iso)")
    }
    return v
}
