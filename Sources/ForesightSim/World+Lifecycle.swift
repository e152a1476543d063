import ForesightCore

extension World {
    /// One visit of customer `c` at `t`: usually a browse session, from the web, the app, an ad,
    /// a push notification or an SMS; now and then a purchase in a store or a support question.
    mutating func visit(_ c: Int, at t: Int64) {
        let profile = profiles[c]
        let archetype = profile.archetype
        if (archetype == .loyal || archetype == .regular) && random.chance(0.06) {
            storeVisit(c, at: t)
            return
        }
        if !profile.isAnonymous && random.chance(0.008) {
            supportTicket(c, time: t, mood: Self.mood(archetype))
            states[c].lastActive = t
            return
        }
        let draw = random.unit()
        if draw < 0.1 {
            browseSession(c, at: t, origin: .ads(random.chance(0.6) ? .searchAds : .socialAds))
        } else if draw < 0.16 && profile.prefersApp && states[c].signedUp {
            campaignTouch("Push Notification Tapped", c, at: t, channel: .push, campaign: .priceDrop)
            browseSession(c, at: t + Int64(random.between(1_000, 8_000)), origin: .push(.priceDrop))
        } else if draw < 0.19 && profile.smsOptIn && states[c].signedUp {
            campaignTouch("SMS Link Clicked", c, at: t, channel: .sms, campaign: .flashSms)
            browseSession(c, at: t + Int64(random.between(2_000, 15_000)), origin: .sms(.flashSms))
        } else {
            browseSession(c, at: t, origin: .direct)
        }
    }

    /// A new customer's first visit: landing, `identify`, `Signed Up`, browsing, then a welcome e-mail.
    mutating func signUp(_ c: Int, at start: Int64) {
        let profile = profiles[c]
        let app = profile.prefersApp
        let viaAd = random.chance(0.3)
        let campaign: Campaign? = viaAd ? (random.chance(0.6) ? .searchAds : .socialAds) : nil
        beginPage("Sign Up", screen: app, customer: c, time: start)
        finish(channel: viaAd ? .ads : (app ? .app : .web), campaign: campaign)
        var t = start + Int64(random.between(15_000, 90_000))
        identify(c, time: t, channel: app ? .app : .web)
        t += Int64(random.between(300, 2_000))
        beginTrack("Signed Up", customer: c, time: t)
        openProperties()
        let methods: [StaticString] = ["\"method\":\"email\"", "\"method\":\"google\"", "\"method\":\"apple\""]
        queue.arena.appendLiteral(methods[random.below(methods.count)])
        queue.arena.appendLiteral(",\"plan\":")
        queue.arena.appendLiteral(states[c].plan.quoted)
        closeProperties()
        finish(channel: app ? .app : .web, campaign: campaign)
        states[c].signedUp = true
        states[c].since = start
        let end = browseSession(c, at: t + step(), origin: .direct)
        if profile.emailOptIn {
            emailDelivery(c, at: end + Int64(random.uniform(2, 60) * Double(SimTime.minuteMs)), campaign: .welcome)
        }
    }

    /// A campaign e-mail: delivered (or bounced), perhaps opened, clicked, followed by a visit,
    /// or the reason to unsubscribe.
    mutating func emailDelivery(_ c: Int, at t: Int64, campaign: Campaign) {
        if random.chance(0.006) {
            campaignTouch("Email Bounced", c, at: t, channel: .email, campaign: campaign)
            return
        }
        campaignTouch("Email Delivered", c, at: t, channel: .email, campaign: campaign)
        let archetype = profiles[c].archetype
        let engagement = 0.25 + 0.75 * activity(c, at: t)
        guard random.chance(archetype.emailOpenRate * engagement) else { return }
        let opened = t + Int64(max(60_000, random.exponential(mean: 4 * Double(SimTime.hourMs))))
        campaignTouch("Email Opened", c, at: opened, channel: .email, campaign: campaign)
        let unsubscribeRate: Double = archetype == .canceller ? 0.03 : (archetype == .churner ? 0.012 : 0.003)
        if random.chance(unsubscribeRate) {
            campaignTouch("Unsubscribed", c, at: opened + Int64(random.between(5_000, 60_000)), channel: .email,
                          campaign: campaign)
            states[c].unsubscribed = true
            return
        }
        guard random.chance(0.3) else { return }
        let clicked = opened + Int64(random.between(3_000, 90_000))
        campaignTouch("Email Link Clicked", c, at: clicked, channel: .email, campaign: campaign)
        if random.chance(0.9) && activity(c, at: clicked) > 0 {
            browseSession(c, at: clicked + Int64(random.between(1_000, 20_000)), origin: .email(campaign))
        }
    }

    /// The end of a canceller: an unhappy support ticket, then `Subscription Cancelled` and often
    /// `Unsubscribed`, and an `identify` with the downgraded plan.
    mutating func cancellation(_ c: Int, ticketAt: Int64, cancelAt: Int64) {
        supportTicket(c, time: ticketAt, mood: Self.mood(.canceller))
        let reasons: [StaticString] = ["\"too_expensive\"", "\"not_using\"", "\"bad_service\"", "\"found_alternative\""]
        beginTrack("Subscription Cancelled", customer: c, time: cancelAt)
        openProperties()
        queue.arena.appendLiteral("\"plan\":")
        queue.arena.appendLiteral(states[c].plan.quoted)
        queue.arena.appendLiteral(",\"reason\":")
        queue.arena.appendLiteral(reasons[random.below(reasons.count)])
        closeProperties()
        finish(channel: .web, campaign: nil)
        states[c].cancelled = true
        states[c].plan = .free
        if profiles[c].emailOptIn && !states[c].unsubscribed && random.chance(0.7) {
            let t = cancelAt + Int64(random.uniform(0.02, 48) * Double(SimTime.hourMs))
            campaignTouch("Unsubscribed", c, at: t, channel: .email, campaign: .weeklyPicks)
            states[c].unsubscribed = true
        }
        identify(c, time: cancelAt + Int64(random.between(500, 5_000)), channel: .web)
    }

    /// The time a canceller cancels.
    func cancelTime(_ c: Int) -> Int64 {
        states[c].since + Int64(profiles[c].lifespanDays * Double(SimTime.dayMs))
    }

    /// May customer `c` receive campaign e-mail at `t`?
    func canEmail(_ c: Int) -> Bool {
        let state = states[c]
        return state.signedUp && profiles[c].emailOptIn && !state.unsubscribed && !profiles[c].isAnonymous
    }

    /// A message event with no properties: e-mail, push or SMS.
    private mutating func campaignTouch(_ event: StaticString, _ c: Int, at t: Int64, channel: Channel, campaign: Campaign) {
        beginTrack(event, customer: c, time: t)
        finish(channel: channel, campaign: campaign)
    }
}
