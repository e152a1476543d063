import Foundation
import ForesightSim
import Synchronization

/// A generated sample shared by the tests that only read it.
let sampleOptions = GeneratorOptions(customers: 1_200, days: 60, seed: 2026)
let sample = Generator.generate(sampleOptions)

/// The lines of a generated buffer, without their newlines.
func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        .map { $0 }
}

/// A line decoded with `JSONSerialization`, or nil when it is not a JSON object in valid UTF-8.
func decode(_ line: ArraySlice<UInt8>) -> [String: Any]? {
    guard String(validating: line, as: UTF8.self) != nil else { return nil }
    return (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any]
}

/// The event time of a decoded line in milliseconds: ISO-8601 text or epoch milliseconds.
func eventTime(_ object: [String: Any]) -> Int64? {
    if let text = object["timestamp"] as? String { return SimTime.parse(text) }
    guard let value = object["timestamp"], !(value is Bool) else { return nil }
    return value as? Int64
}

/// The customer key: `userId`, else `anonymousId`.
func customerKey(_ object: [String: Any]) -> String? {
    (object["userId"] as? String) ?? (object["anonymousId"] as? String)
}

/// Whether a line is acceptable under the event log contract (EVENTS.md).
func isValidEvent(_ line: ArraySlice<UInt8>) -> Bool {
    guard let object = decode(line) else { return false }
    guard customerKey(object) != nil, eventTime(object) != nil else { return false }
    let type = object["type"] as? String ?? "track"
    if type == "track" { return object["event"] is String }
    if object["userId"] != nil && !(object["userId"] is String) { return false }
    return ["identify", "page", "screen"].contains(type)
}

/// Decodes every line of a buffer that must hold only valid events.
func decodeAll(_ bytes: [UInt8]) -> [[String: Any]] {
    lines(of: bytes).compactMap(decode)
}

/// A wall clock the test moves by hand; sleeping jumps straight to the deadline.
final class ManualClock: SimulationClock {
    private let time: Mutex<Int64>

    init(_ start: Int64) {
        time = Mutex(start)
    }

    func now() -> Int64 {
        time.withLock { $0 }
    }

    func sleep(until deadline: Int64) {
        time.withLock { $0 = max($0, deadline) }
    }
}

/// A path for a temporary file, unique per call.
func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "foresight-sim-\(UUID().uuidString)-\(name)"
}
