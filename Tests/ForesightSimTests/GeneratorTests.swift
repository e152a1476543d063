import Foundation
import ForesightSim
import Testing

@Test func sameSeedGivesSameBytes() {
    let options = GeneratorOptions(customers: 300, days: 20, seed: 7, badRate: 0.01, duplicateRate: 0.01)
    let first = Generator.generate(options)
    let second = Generator.generate(options)
    #expect(first.bytes.count > 50_000)
    #expect(first.bytes == second.bytes)
    #expect(first.counts == second.counts)
}

@Test func differentSeedGivesDifferentBytes() {
    let first = Generator.generate(GeneratorOptions(customers: 300, days: 20, seed: 7))
    let second = Generator.generate(GeneratorOptions(customers: 300, days: 20, seed: 8))
    #expect(first.bytes != second.bytes)
    #expect(first.bytes.prefix(2_000) != second.bytes.prefix(2_000))
}

@Test func fileOutputMatchesMemoryAcrossChunks() throws {
    let options = GeneratorOptions(customers: 2_500, days: 30, seed: 3)
    let path = temporaryPath("chunks.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    var generator = Generator(options: options)
    var chunks = 0
    let output = try FileOutput(path: path, append: false)
    let counts = try generator.run { chunk in
        chunks += 1
        #expect(chunk.last == 0x0A, "every chunk ends with a whole line")
        try output.write(chunk)
    }
    let written = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(chunks > 1)
    #expect(written.count == counts.bytes)
    #expect(Array(written) == Generator.generate(options).bytes)
}

@Test func eventsAreInTimeOrder() {
    let times = decodeAll(sample.bytes).compactMap(eventTime)
    #expect(times.count == sample.counts.events)
    let outOfOrder = zip(times, times.dropFirst()).filter { $0 > $1 }.count
    #expect(outOfOrder == 0)
    #expect(times.first ?? 0 >= sampleOptions.start)
    #expect(times.last ?? .max < sampleOptions.start + Int64(sampleOptions.days) * 86_400_000)
}

@Test func scaleIsAboutTwentyFiveEventsPerCustomerOverNinetyDays() {
    let result = Generator.generate(GeneratorOptions(customers: 2_000, days: 90, seed: 11))
    let perCustomer = Double(result.counts.events) / 2_000
    #expect(perCustomer > 18 && perCustomer < 32, "events per customer: \(perCustomer)")
    let bytesPerLine = Double(result.counts.bytes) / Double(result.counts.lines)
    #expect(bytesPerLine > 180 && bytesPerLine < 300)
}

@Test func badLinesAppearAtTheRequestedRate() {
    let result = Generator.generate(GeneratorOptions(customers: 1_000, days: 30, seed: 5, badRate: 0.05))
    let all = lines(of: result.bytes)
    let invalid = all.filter { !isValidEvent($0) }.count
    #expect(invalid == result.counts.badLines)
    let share = Double(invalid) / Double(all.count)
    #expect(share > 0.035 && share < 0.065, "bad share \(share)")
}

@Test func badLinesComeInEveryKind() {
    let result = Generator.generate(GeneratorOptions(customers: 600, days: 20, seed: 5, badRate: 0.2))
    let bad = lines(of: result.bytes).filter { !isValidEvent($0) }
    let notUTF8 = bad.filter { String(validating: $0, as: UTF8.self) == nil }.count
    let notObject = bad.filter { $0.first != 0x7B }.count
    let texts = bad.compactMap { String(validating: $0, as: UTF8.self) }
    let objects = bad.compactMap(decode)
    #expect(notUTF8 > 0)
    #expect(notObject > 0)
    #expect(texts.contains { $0.contains("\"userId\":{}") || $0.contains("\"userId\":[") })
    #expect(objects.contains { $0["timestamp"] == nil })
    #expect(objects.contains { $0["userId"] == nil && $0["anonymousId"] == nil })
    #expect(objects.contains { ($0["type"] as? String) == "track" && $0["event"] == nil })
    let truncated = bad.filter { $0.first == 0x7B && String(validating: $0, as: UTF8.self) != nil && decode($0) == nil }
    #expect(!truncated.isEmpty)
}

@Test func goodEventsDoNotDependOnTheRates() {
    let options = GeneratorOptions(customers: 500, days: 20, seed: 9)
    var noisy = options
    noisy.badRate = 0.05
    noisy.duplicateRate = 0.05
    let clean = Set(lines(of: Generator.generate(options).bytes))
    let noisyLines = lines(of: Generator.generate(noisy).bytes).filter(isValidEvent)
    #expect(noisyLines.count > clean.count / 2)
    #expect(noisyLines.allSatisfy { clean.contains($0) })
}

@Test func duplicatesAppearAtTheRequestedRate() {
    let result = Generator.generate(GeneratorOptions(customers: 1_000, days: 30, seed: 5, duplicateRate: 0.04))
    var seen = Set<String>()
    var repeated = 0
    for object in decodeAll(result.bytes) {
        guard let id = object["messageId"] as? String else { continue }
        if !seen.insert(id).inserted { repeated += 1 }
    }
    #expect(repeated == result.counts.duplicates)
    let share = Double(repeated) / Double(result.counts.events)
    #expect(share > 0.028 && share < 0.052, "duplicate share \(share)")
}

@Test func messageIdsAreUniqueWithoutDuplicates() {
    let ids = decodeAll(sample.bytes).compactMap { $0["messageId"] as? String }
    #expect(ids.count == sample.counts.events)
    #expect(Set(ids).count == ids.count)
}

@Test func theSameSeedGivesTheSamePopulationWhateverTheSize() {
    for index in [0, 17, 999] {
        let profile = CustomerProfile.make(seed: 42, index: index)
        let again = CustomerProfile.make(seed: 42, index: index)
        #expect(profile.archetype == again.archetype)
        #expect(profile.customerId == again.customerId)
    }
    #expect(CustomerProfile.make(seed: 42, index: 123).customerId.hasPrefix("u0000123") ||
            CustomerProfile.make(seed: 42, index: 123).isAnonymous)
    let small = Set(decodeAll(Generator.generate(GeneratorOptions(customers: 100, days: 10, seed: 42)).bytes)
        .compactMap(customerKey))
    let expected = Set((0..<100).map { CustomerProfile.make(seed: 42, index: $0).customerId })
    #expect(small.isSubset(of: expected))
    #expect(small.count > 50)
}
