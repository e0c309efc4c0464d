//! The product's fixed limits: how much one page shows and how much one account may keep.
//! Business rules, so they live here; the server enforces them and the pages quote them.

/// Ledger rows per page of the History page.
pub const LEDGER_PAGE_SIZE: i64 = 20;

/// Notifications per page of the notification centre.
pub const NOTIFICATIONS_PAGE_SIZE: i64 = 20;

/// Symbols one watchlist may hold.
pub const MAX_WATCHLIST: i64 = 50;

/// Price alerts waiting to fire, per user.
pub const MAX_PENDING_ALERTS: i64 = 25;
