import ForesightCore
import ForesightSim
import ForesightTestSupport
@testable import ForesightUI
import Testing

/// The screens that show predictions, over a generated shop (400 customers, 120 days, seed 11) with
/// models fitted at its last event: the Models view, the customers table with its score columns and a
/// customer's scores. `FORESIGHT_RECORD_SNAPSHOTS=1` re-records them.
struct ModelsSnapshotTests {
    static let small = Size(width: 80, height: 24)
    static let large = Size(width: 160, height: 48)

    /// The generated log, its models (with the hold-out check) and a fixed refresher status.
    static let shop: (pipeline: IngestPipeline, context: ModelsContext) = {
        var pipeline = IngestPipeline(sourceName: "shop.jsonl")
        let bytes = Generator.generate(GeneratorOptions(customers: 400, days: 120, seed: 11)).bytes
        pipeline.engine.ingest(lines: String(decoding: bytes, as: UTF8.self))
        let now = pipeline.engine.watermark ?? 0
        var models = pipeline.engine.fitModels(asOf: now, holdout: true)
        models.fitSeconds = 0.12
        var status = ModelRefreshStatus()
        status.fits = 3
        status.lastFitWallTime = 100
        status.drift = pipeline.engine.drift(models: models, now: now)
        return (pipeline, ModelsContext(models: models, status: status, secondsSinceFit: 125))
    }()

    func screen(_ size: Size, keys: [Key], context: ModelsContext = shop.context) -> ScreenBuffer {
        let pipeline = Self.shop.pipeline
        var state = DashboardState(size: size)
        var buffer = DashboardFixture.frame(&state, pipeline, models: context)
        for key in keys {
            DashboardFixture.press(key, &state, pipeline)
            buffer = DashboardFixture.frame(&state, pipeline, models: context)
        }
        return buffer
    }

    @Test(arguments: [small, large])
    func modelsView(size: Size) throws {
        let buffer = screen(size, keys: [.char("4")])
        assertSnapshot(buffer, named: "models-\(size.width)x\(size.height)")
        let text = buffer.text
        let models = try #require(Self.shop.context.models)
        let r = try #require(models.transactions?.model.r)
        #expect(text.contains("r " + Format.decimal(r, places: r >= 1 ? 2 : 3)))
        #expect(text.contains("hold-out; BG/NBD"))
        #expect(text.contains("2m ago in 0.12 s"))
        #expect(text.contains("Calibration on the hold-out"))
        let auc = try #require(models.holdout?.holdout.churnAUC)
        #expect(text.contains(Format.decimal(auc, places: 3)))
    }

    @Test func modelsViewBeforeTheFirstFit() {
        let buffer = screen(Self.small, keys: [.char("4")], context: ModelsContext(minimumEvents: 1_000))
        #expect(buffer.text.contains("No model yet: the first fit runs once 1,000 events are in"))
        let fitting = screen(Self.small, keys: [.char("4")], context: ModelsContext(status: { var s = ModelRefreshStatus(); s.fitting = true; return s }()))
        #expect(fitting.text.contains("Fitting the models"))
    }

    @Test(arguments: [small, large])
    func customersWithScores(size: Size) throws {
        let buffer = screen(size, keys: [.char("2")])
        assertSnapshot(buffer, named: "models-customers-\(size.width)x\(size.height)")
        let lines = buffer.lines()
        #expect(lines[3].contains("Churn risk") && lines[3].contains("CLV"))
        if size == Self.large { #expect(lines[3].contains("P(alive)") && lines[3].contains("Next product")) }
        // The top customer by revenue shows her live churn risk, as the core computes it.
        let engine = Self.shop.pipeline.engine
        let models = try #require(Self.shop.context.models)
        let top = try #require(engine.profiles.indices.max { engine.profiles[$0].revenue < engine.profiles[$1].revenue })
        let risk = try #require(engine.liveScore(UInt32(top), models: models, now: engine.watermark ?? 0).churnRisk)
        let row = try #require(lines.first { $0.contains(engine.customers.string(UInt32(top)) + " ") })
        #expect(row.contains(Format.percent(risk, places: 0)), "row: \(row)")
    }

    @Test(arguments: [small, large])
    func customerScores(size: Size) throws {
        let buffer = screen(size, keys: [.char("2"), .enter])
        assertSnapshot(buffer, named: "models-customer-\(size.width)x\(size.height)")
        let text = buffer.text
        #expect(text.contains("Churn risk") && text.contains("Why this risk") && text.contains("Next products"))
        #expect(text.contains("P(alive)"))
    }

    @Test func customerBeforeTheFirstFitSaysWhy() {
        let buffer = screen(Self.small, keys: [.char("2"), .enter], context: ModelsContext(minimumEvents: 100_000))
        #expect(buffer.text.contains("Scores appear once 100,000 events are in"))
    }
}

struct ModelParameterFormatTests {
    @Test func parametersKeepThreeSignificantFiguresAndTinyOnesAnExponent() {
        #expect(ModelsView.parameter(0.243) == "0.243")
        #expect(ModelsView.parameter(4.414) == "4.41")
        #expect(ModelsView.parameter(64_207) == "64207")
        #expect(ModelsView.parameter(0.0000213) == "2.1e-5")
        #expect(ModelsView.parameter(nil) == "-")
    }
}
