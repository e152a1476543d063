/// Event names with built-in meaning (EVENTS.md). They are interned first, so a known event's name id
/// is its raw value; any other name gets the next free id.
public enum KnownEvent: UInt16, CaseIterable, Sendable {
    // Synthetic names for the non-track calls.
    case pageViewed, screenViewed, identify
    // browsing
    case productsSearched, productListViewed, productViewed, productClicked
    // cart
    case productAdded, productRemoved, cartViewed, productAddedToWishlist
    // purchase
    case checkoutStarted, checkoutStepCompleted, paymentInfoEntered, orderCompleted, orderUpdated
    case orderCancelled, orderRefunded, couponApplied
    // email and messaging
    case emailDelivered, emailOpened, emailLinkClicked, emailBounced, unsubscribed
    // advocacy
    case productReviewed, productShared, referralSent
    // service and lifecycle
    case signedUp, supportTicketOpened, supportTicketResolved, subscriptionCancelled

    /// The name as it appears in the log (and on screen).
    public var name: String {
        switch self {
        case .pageViewed: return "Page Viewed"
        case .screenViewed: return "Screen Viewed"
        case .identify: return "Identify"
        case .productsSearched: return "Products Searched"
        case .productListViewed: return "Product List Viewed"
        case .productViewed: return "Product Viewed"
        case .productClicked: return "Product Clicked"
        case .productAdded: return "Product Added"
        case .productRemoved: return "Product Removed"
        case .cartViewed: return "Cart Viewed"
        case .productAddedToWishlist: return "Product Added to Wishlist"
        case .checkoutStarted: return "Checkout Started"
        case .checkoutStepCompleted: return "Checkout Step Completed"
        case .paymentInfoEntered: return "Payment Info Entered"
        case .orderCompleted: return "Order Completed"
        case .orderUpdated: return "Order Updated"
        case .orderCancelled: return "Order Cancelled"
        case .orderRefunded: return "Order Refunded"
        case .couponApplied: return "Coupon Applied"
        case .emailDelivered: return "Email Delivered"
        case .emailOpened: return "Email Opened"
        case .emailLinkClicked: return "Email Link Clicked"
        case .emailBounced: return "Email Bounced"
        case .unsubscribed: return "Unsubscribed"
        case .productReviewed: return "Product Reviewed"
        case .productShared: return "Product Shared"
        case .referralSent: return "Referral Sent"
        case .signedUp: return "Signed Up"
        case .supportTicketOpened: return "Support Ticket Opened"
        case .supportTicketResolved: return "Support Ticket Resolved"
        case .subscriptionCancelled: return "Subscription Cancelled"
        }
    }

    /// The name id of this event in every ``Engine``.
    @inlinable public var id: UInt16 { rawValue }
}
