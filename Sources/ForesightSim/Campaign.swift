import ForesightCore

/// A marketing campaign as written in `context.campaign`, pre-encoded.
struct Campaign {
    let name: String
    /// `,"campaign":{"name":…,"source":…,"medium":…}`.
    let fragment: [UInt8]

    init(name: String, source: String, medium: String) {
        self.name = name
        var bytes: [UInt8] = []
        bytes.appendLiteral(",\"campaign\":{\"name\":")
        bytes.appendJSONString(name)
        bytes.appendLiteral(",\"source\":")
        bytes.appendJSONString(source)
        bytes.appendLiteral(",\"medium\":")
        bytes.appendJSONString(medium)
        bytes.append(0x7D)
        fragment = bytes
    }

    static let weeklyPicks = Campaign(name: "weekly-picks", source: "newsletter", medium: "email")
    static let newArrivals = Campaign(name: "new-arrivals", source: "newsletter", medium: "email")
    static let autumnSale = Campaign(name: "autumn-sale", source: "newsletter", medium: "email")
    static let winBack = Campaign(name: "win-back-21d", source: "crm", medium: "email")
    static let welcome = Campaign(name: "welcome-series", source: "crm", medium: "email")
    static let searchAds = Campaign(name: "trail-season", source: "google", medium: "cpc")
    static let socialAds = Campaign(name: "gear-retargeting", source: "meta", medium: "paid-social")
    static let flashSms = Campaign(name: "flash-sale", source: "sms", medium: "sms")
    static let priceDrop = Campaign(name: "price-drop", source: "app", medium: "push")

    /// The newsletter campaigns the simulator picks from.
    static let newsletters: [Campaign] = [weeklyPicks, newArrivals, autumnSale, winBack]
}

/// Where a session came from, which sets its channel and campaign.
enum SessionOrigin {
    case direct
    case ads(Campaign)
    case email(Campaign)
    case sms(Campaign)
    case push(Campaign)

    var campaign: Campaign? {
        switch self {
        case .direct: return nil
        case .ads(let c), .email(let c), .sms(let c), .push(let c): return c
        }
    }
}

/// `,"context":{"channel":"web"` for each channel, indexed by raw value.
let channelFragments: [[UInt8]] = Channel.allCases.map { channel in
    var bytes: [UInt8] = []
    bytes.appendLiteral(",\"context\":{\"channel\":")
    bytes.appendJSONString(channel.label)
    return bytes
}
