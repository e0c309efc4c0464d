//! The market as the pages see it: a line of the Markets page, one stock with the viewer's
//! position in it.

use crate::domain::quote::Percent;
use crate::domain::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One line of the Markets page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketRow {
    pub symbol: String,
    pub name: String,
    pub sector: String,
    pub price: Money,
    pub change: Money,
    pub change_percent: Percent,
    pub as_of: DateTime<Utc>,
}

/// The signed-in learner's stake in one stock, for the stock page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockPosition {
    pub shares: i64,
    pub average_cost: Money,
    pub cash: Money,
    /// Cash plus every holding at current prices: the base for "weight after this order".
    pub portfolio_value: Money,
    /// What the portfolio's open orders hold back: cash (every open buy) and shares of this
    /// stock (its open sells) that a new order cannot use.
    pub reserved: crate::domain::buying_power::Reserved,
    /// What each fill pays: a game's commission, none in a personal portfolio.
    pub commission: crate::domain::game::Commission,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockView {
    pub row: MarketRow,
    pub is_etf: bool,
    pub day_low: Money,
    pub day_high: Money,
    pub market_open: bool,
    /// The quote is more than a minute old (a provider outage, or the last close).
    pub quote_delayed: bool,
    pub next_open: Option<DateTime<Utc>>,
    /// `None` when signed out.
    pub position: Option<StockPosition>,
    /// A fresh idempotency key for the next order from this page.
    pub order_key: uuid::Uuid,
}
