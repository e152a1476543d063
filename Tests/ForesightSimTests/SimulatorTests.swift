import Foundation
import ForesightSim
import Testing

private let start = SimTime.parse("2026-11-01T12:00:00Z") ?? 0

@Test func simulatorWritesAboutTheRequestedRateFromStart() {
    var simulator = LiveSimulator(seed: 42, customers: 500, start: start, rate: 50)
    var bytes: [UInt8] = []
    let written = simulator.events(until: start + 60_000, into: &bytes)
    let times = decodeAll(bytes).compactMap(eventTime)
    #expect(written == times.count)
    #expect(written > 2_000 && written < 4_000, "\(written) events in 60 s at 50/s")
    #expect(times.allSatisfy { $0 >= start && $0 < start + 60_000 })
    #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
    #expect(simulator.clock == start + 60_000)
}

@Test func simulatorIsDeterministicForAFixedStart() {
    var first = LiveSimulator(seed: 42, customers: 300, start: start, rate: 20)
    var second = LiveSimulator(seed: 42, customers: 300, start: start, rate: 20)
    var a: [UInt8] = []
    var b: [UInt8] = []
    first.events(until: start + 30_000, into: &a)
    second.events(until: start + 10_000, into: &b)
    second.events(until: start + 30_000, into: &b)
    #expect(!a.isEmpty)
    #expect(a == b, "batching does not change the stream")
}

@Test func runnerFollowsTheInjectedClock() throws {
    let wall = start + 123_456
    let clock = ManualClock(wall)
    let path = temporaryPath("runner.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data("{\"existing\":true}\n".utf8).write(to: URL(fileURLWithPath: path))
    let simulator = LiveSimulator(seed: 42, customers: 400, start: wall, rate: 200, speed: 1)
    var runner = SimulationRunner(simulator: simulator, tickMilliseconds: 100)
    let counts = try runner.run(appendingTo: path, clock: clock, stop: StopFlag(), maxTicks: 50)
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let all = lines(of: bytes)
    #expect(String(decoding: all[0], as: UTF8.self) == "{\"existing\":true}", "the file is appended to")
    let times = all.dropFirst().compactMap(decode).compactMap(eventTime)
    #expect(times.count == counts.events)
    #expect(counts.events > 600 && counts.events < 1_400, "\(counts.events) events in 5 s at 200/s")
    #expect(times.allSatisfy { $0 >= wall && $0 < wall + 5_000 })
    #expect(clock.now() == wall + 5_000)
}

@Test func speedStretchesEventTime() throws {
    let clock = ManualClock(start)
    let path = temporaryPath("speed.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let simulator = LiveSimulator(seed: 1, customers: 400, start: start, rate: 100, speed: 60)
    var runner = SimulationRunner(simulator: simulator, tickMilliseconds: 100)
    let counts = try runner.run(appendingTo: path, clock: clock, stop: StopFlag(), maxTicks: 20)
    let times = decodeAll(Array(try Data(contentsOf: URL(fileURLWithPath: path)))).compactMap(eventTime)
    #expect(counts.events > 100)
    #expect(times.allSatisfy { $0 >= start && $0 < start + 120_000 })
    #expect((times.max() ?? 0) > start + 90_000, "two wall seconds at 60x cover two event minutes")
}

@Test func aSetStopFlagEndsTheRunBeforeAnyBatch() throws {
    let path = temporaryPath("stopped.jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let stop = StopFlag()
    stop.stop()
    var runner = SimulationRunner(simulator: LiveSimulator(seed: 1, customers: 10, start: start, rate: 1_000))
    let counts = try runner.run(appendingTo: path, clock: ManualClock(start), stop: stop)
    #expect(stop.isStopped)
    #expect(counts.lines == 0)
    #expect(FileManager.default.fileExists(atPath: path), "the file is created even so")
}

@Test func simulatorContinuesTheGeneratedPopulation() {
    let customers = 300
    let generated = Set(decodeAll(Generator.generate(GeneratorOptions(customers: customers, days: 30, seed: 42)).bytes)
        .compactMap(customerKey))
    var simulator = LiveSimulator(seed: 42, customers: customers, start: start, rate: 100)
    var bytes: [UInt8] = []
    simulator.events(until: start + 10 * 60_000, into: &bytes)
    let events = decodeAll(bytes)
    let keys = Set(events.compactMap(customerKey))
    let known = Set((0..<customers).map { CustomerProfile.make(seed: 42, index: $0).customerId })
    #expect(!keys.intersection(generated).isEmpty, "customers of the file come back")
    #expect(!keys.subtracting(known).isEmpty, "new customers arrive")
    #expect(simulator.population > customers)
    let newSignUps = events.filter { $0["event"] as? String == "Signed Up" }.compactMap(customerKey)
    #expect(!newSignUps.isEmpty && newSignUps.allSatisfy { !known.contains($0) })
}

@Test func simulatedIdsDoNotCollideWithGeneratedOnes() {
    let generated = decodeAll(sample.bytes).compactMap { $0["messageId"] as? String }
    var simulator = LiveSimulator(seed: sampleOptions.seed, customers: sampleOptions.customers, start: start, rate: 100)
    var bytes: [UInt8] = []
    simulator.events(until: start + 60_000, into: &bytes)
    let simulated = decodeAll(bytes).compactMap { $0["messageId"] as? String }
    #expect(simulated.count > 1_000)
    #expect(Set(generated).isDisjoint(with: simulated))
    #expect(Set(simulated).count == simulated.count)
}

@Test func anEmptyPopulationFillsWithNewCustomers() {
    var simulator = LiveSimulator(seed: 3, customers: 0, start: start, rate: 30)
    var bytes: [UInt8] = []
    simulator.events(until: start + 120_000, into: &bytes)
    let events = decodeAll(bytes)
    #expect(events.count > 1_000)
    #expect(simulator.population > 10)
    #expect(events.contains { $0["event"] as? String == "Signed Up" })
}
