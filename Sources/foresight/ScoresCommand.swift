import ArgumentParser
import ForesightCore
import Foundation

struct ScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scores", abstract: "Per-customer scores.")
    @OptionGroup var log: LogOptions
    func run() throws {}
}
