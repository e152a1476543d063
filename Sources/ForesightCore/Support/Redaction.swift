/// Pseudonyms for screen sharing and exports (`--redact`): customer ids, emails and names replaced by a
/// stable keyed hash (HMAC-SHA-256 under a secret key), so that the same customer always gets the same
/// pseudonym under one key, and nobody without the key can go back to the id, or check a guess.
///
/// Applied where the engine turns a customer into text for a person (``Engine/displayKey(_:)`` and the
/// customer detail) and by the fronts for what they print themselves; lookups keep using the real keys.
public struct Redaction: Sendable, Equatable {
    private let key: [UInt8]

    /// A redaction under a secret key (at least 16 bytes are advised).
    public init(key: [UInt8]) { self.key = key }

    /// `c-` and 16 hex digits (64 bits) of the keyed hash of the id.
    public func customer(_ id: String) -> String { "c-" + digest("id", id, hexDigits: 16) }

    /// `e-` and 12 hex digits `@redacted.invalid`.
    public func email(_ email: String) -> String { "e-" + digest("email", email.lowercased(), hexDigits: 12) + "@redacted.invalid" }

    /// `Name-` and 8 hex digits.
    public func name(_ name: String) -> String { "Name-" + digest("name", name, hexDigits: 8) }

    /// What a rejected line's text becomes: it may hold any personal data.
    public static let hiddenLine = "(line text hidden by --redact)"

    private func digest(_ kind: String, _ value: String, hexDigits: Int) -> String {
        String(SHA256.hex(SHA256.hmac(key: key, Array((kind + ":" + value).utf8))).prefix(hexDigits))
    }
}

extension Engine {
    /// The customer's key as a person should see it: the key itself, or its pseudonym under ``redaction``.
    public func displayKey(_ c: UInt32) -> String {
        let key = customers.string(c)
        return redaction.map { $0.customer(key) } ?? key
    }
}
