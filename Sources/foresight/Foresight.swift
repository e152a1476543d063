import ArgumentParser
import ForesightCore

@main
struct Foresight: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "foresight",
        abstract: "A terminal console for predictive personalization over a customer event log.",
        subcommands: [
            DemoCommand.self, DashboardCommand.self, ReportCommand.self, CustomersCommand.self, CustomerCommand.self,
            GenerateCommand.self, SimulateCommand.self, BenchCommand.self, ScoresCommand.self, BacktestCommand.self, SegmentsCommand.self, ExportCommand.self,
            FunnelCommand.self, PathsCommand.self, JourneyCommand.self,
            StateCommand.self, ForgetCommand.self, CampaignsCommand.self,
        ],
        defaultSubcommand: DemoCommand.self
    )
}
