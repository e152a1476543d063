import Testing
@testable import ForesightCore

@Test func channelMatchesKnownNames() {
    let email = Array("email".utf8)
    let odd = Array("carrier-pigeon".utf8)
    email.withUnsafeBytes { #expect(Channel.match($0) == .email) }
    odd.withUnsafeBytes { #expect(Channel.match($0) == .other) }
}
