/// Something that happened to a followed file, reported by ``LogSource/poll(maxBytes:_:)``.
///
/// Lines already handed out stay valid; what a notice changes is where reading continues. Each
/// notice has a ``message`` for the user (the caller adds which file or stream it is about).
public enum FollowNotice: Equatable, Sendable {
    /// The file shrank below what was read (truncated in place, e.g. `logrotate copytruncate`):
    /// reading starts over at offset 0 and line 1. An unfinished last line is discarded.
    case truncated
    /// The path now names another file (rotated by rename): the old file was read to its end,
    /// its unfinished last line discarded, and the new file is read from offset 0 and line 1.
    case rotated
    /// The file was deleted after being read to its end; the source waits for it to reappear.
    case deleted
    /// The deleted file appeared again and is read from offset 0 and line 1.
    case recreated

    /// A sentence for the user about what happened and what the source does next.
    public var message: String {
        switch self {
        case .truncated:
            return "the file was truncated; reading it again from the start"
        case .rotated:
            return "the file was rotated; finished the old file, now reading the new one from the start"
        case .deleted:
            return "the file was deleted; waiting for it to be created again"
        case .recreated:
            return "the file was created again; reading it from the start"
        }
    }
}

/// What one ``LogSource/poll(maxBytes:_:)`` did.
public struct FollowStatus: Equatable, Sendable {
    /// Bytes read by this poll (from all files involved, if it crossed a rotation).
    public var bytesRead: Int
    /// Whether everything available now was read. False when `maxBytes` stopped the poll early or
    /// a rotation switched to a new file: call `poll` again before `wait`.
    public var atEOF: Bool
    /// What happened to the file during this poll, in order. `.truncated` and `.recreated` come
    /// before this poll's lines (they are from the new start); `.rotated` and `.deleted` come after
    /// them (they were the old file's last lines).
    public var notices: [FollowNotice]
    /// Whether the source has ended for good (a stream that was closed); a followed file never ends.
    public var isFinished: Bool

    /// Creates a status.
    public init(bytesRead: Int = 0, atEOF: Bool = false, notices: [FollowNotice] = [], isFinished: Bool = false) {
        self.bytesRead = bytesRead
        self.atEOF = atEOF
        self.notices = notices
        self.isFinished = isFinished
    }
}
