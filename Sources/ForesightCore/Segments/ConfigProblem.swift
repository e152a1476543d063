/// A problem found while loading the configuration: where (file, 1-based line and column) and a
/// plain reason. A problem in one definition never stops the others from loading.
public struct ConfigProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var reason: String

    public init(file: String, line: Int, column: Int, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `foresight.yml:12:23: expected a value after '>='`, the form editors and compilers use.
    public var description: String { "\(file):\(line):\(column): \(reason)" }
}
