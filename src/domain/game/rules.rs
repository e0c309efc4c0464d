//! A game's rules, and the check every order in a game passes — market and open orders alike,
//! through the one execution path — refusing with a sentence that names the rule.

use super::{Phase, Window};
use crate::domain::open_order::OrderKind;
use crate::domain::quote::Percent;
use crate::domain::{Money, Shares, Side, Symbol};
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What every fill in a game pays, on top of (a buy) or out of (a sell) its amount.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Commission {
    #[default]
    None,
    /// A flat fee per fill.
    PerTrade(Money),
    /// A fee per share, in dollars (whole cents or finer: $0.005 a share is a broker's rate).
    PerShare(Decimal),
    /// A share of the fill's amount, in percent (0.25 is a quarter of a percent).
    Percent(Decimal),
}

/// On the wire as `none`, `per_trade:4.95`, `per_share:0.005` or `percent:0.25` (the decimals
/// exact, as everywhere money goes).
impl From<Commission> for String {
    fn from(commission: Commission) -> String {
        match commission {
            Commission::None => "none".to_owned(),
            Commission::PerTrade(fee) => format!("per_trade:{}", fee.amount()),
            Commission::PerShare(fee) => format!("per_share:{fee}"),
            Commission::Percent(percent) => format!("percent:{percent}"),
        }
    }
}

impl TryFrom<String> for Commission {
    type Error = String;

    fn try_from(text: String) -> Result<Commission, String> {
        let number = |value: &str| value.parse::<Decimal>().map_err(|_| format!("not a commission: {text}"));
        match text.split_once(':') {
            None if text == "none" => Ok(Commission::None),
            Some(("per_trade", fee)) => Ok(Commission::PerTrade(Money::from_decimal(number(fee)?))),
            Some(("per_share", fee)) => Ok(Commission::PerShare(number(fee)?)),
            Some(("percent", percent)) => Ok(Commission::Percent(number(percent)?)),
            _ => Err(format!("not a commission: {text}")),
        }
    }
}

/// Why a commission cannot be a game's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommissionError {
    #[error("a commission cannot be negative")]
    Negative,
    #[error("a commission of more than {0} is not a game anyone can win")]
    TooLarge(&'static str),
}

impl Commission {
    /// The commission on a fill of `quantity` shares for `amount`, in whole cents, rounded half
    /// away from zero like every amount of money (`Money::from_decimal`).
    pub fn on(self, quantity: Shares, amount: Money) -> Money {
        match self {
            Commission::None => Money::ZERO,
            Commission::PerTrade(fee) => fee,
            Commission::PerShare(rate) => Money::from_decimal(rate * Decimal::from(quantity.get())),
            Commission::Percent(percent) => Money::from_decimal(amount.amount() * percent / Decimal::ONE_HUNDRED),
        }
    }

    /// Checks the commission is one a game can have: not negative, at most $100 a trade, $1 a
    /// share or 5% of the amount.
    pub fn check(self) -> Result<Commission, CommissionError> {
        let (value, most, words) = match self {
            Commission::None => return Ok(self),
            Commission::PerTrade(fee) => (fee.amount(), Decimal::ONE_HUNDRED, "$100.00 a trade"),
            Commission::PerShare(rate) => (rate, Decimal::ONE, "$1.00 a share"),
            Commission::Percent(percent) => (percent, Decimal::from(5), "5% of the amount"),
        };
        if value.is_sign_negative() && !value.is_zero() {
            Err(CommissionError::Negative)
        } else if value > most {
            Err(CommissionError::TooLarge(words))
        } else {
            Ok(self)
        }
    }

    /// "no commission", "$4.95 a trade", "$0.005 a share", "0.25% of the amount".
    pub fn describe(self) -> String {
        match self {
            Commission::None => "no commission".to_owned(),
            Commission::PerTrade(fee) => format!("{} a trade", fee.to_usd()),
            Commission::PerShare(rate) => format!("${} a share", rate.normalize()),
            Commission::Percent(percent) => format!("{}% of the amount", percent.normalize()),
        }
    }
}

/// A game's rules. Fixed once the game starts, except its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GameRules {
    pub starting_cash: Money,
    pub commission: Commission,
    /// The largest share of the portfolio's value one stock may be after a buy (percent).
    pub max_position_percent: Option<u32>,
    /// A buy must pay at least this per share ("no penny stocks").
    pub min_share_price: Option<Money>,
    /// Shares bought may not be sold for this many minutes ("no quick selling").
    pub quick_sell_minutes: Option<u32>,
    /// The order kinds allowed, as `OrderKind::as_str` names them; market orders always are.
    pub allowed_kinds: Vec<String>,
    /// Whether a player may join after the start.
    pub late_joining: bool,
    /// Whether players see each other's holdings and trades.
    pub holdings_visible: bool,
}

/// What the check of one order needs to know, gathered by the order path under its locks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderFacts<'a> {
    pub symbol: &'a Symbol,
    pub side: Side,
    pub kind: OrderKind,
    pub quantity: Shares,
    pub price: Money,
    /// The portfolio's value (cash and holdings at current prices) before the order.
    pub portfolio_value: Money,
    /// The value of the portfolio's holding of `symbol` before the order.
    pub position_value: Money,
    /// The portfolio's most recent buy of `symbol`, if any.
    pub last_buy_at: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
}

/// Why a game refuses an order, naming the rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Refusal {
    #[error("this game has not started yet: trading opens {}", .0.format("%b %-d at %H:%M UTC"))]
    NotStarted(DateTime<Utc>),
    #[error("this game has ended: its standings are final")]
    Ended,
    #[error("this game does not allow {0} orders")]
    KindNotAllowed(String),
    #[error(
        "this game's position limit is {limit}% of your portfolio in one stock: after this order {symbol} would be {after}%"
    )]
    PositionLimit { limit: u32, symbol: String, after: String },
    #[error("this game's minimum share price is {}: {symbol} is {}", min.to_usd(), price.to_usd())]
    BelowMinimumPrice { min: Money, symbol: String, price: Money },
    #[error(
        "this game does not allow selling within {minutes} minutes of buying: you can sell {symbol} from {}",
        from.format("%H:%M UTC")
    )]
    QuickSell { minutes: u32, symbol: String, from: DateTime<Utc> },
}

impl GameRules {
    /// Checks one order against the game's window and rules, in the order a learner would want
    /// to be told: whether trading is open, the order type, then each rule of the stock.
    pub fn check(&self, window: &Window, order: &OrderFacts<'_>) -> Result<(), Refusal> {
        match window.phase(order.now) {
            Phase::NotStarted { .. } => return Err(Refusal::NotStarted(window.starts_at)),
            Phase::Ended => return Err(Refusal::Ended),
            Phase::Running => {}
        }
        let kind = order.kind.as_str();
        if order.kind != OrderKind::Market && !self.allowed_kinds.iter().any(|allowed| allowed == kind) {
            return Err(Refusal::KindNotAllowed(order.kind.label().to_owned()));
        }
        match order.side {
            Side::Buy => self.check_buy(order),
            Side::Sell => self.check_sell(order),
        }
    }

    /// The checks an order that waits passes when it is placed: the window and its type. The
    /// rules of the stock wait for its fill, at the price it fills at.
    pub fn check_placing(&self, window: &Window, kind: OrderKind, now: DateTime<Utc>) -> Result<(), Refusal> {
        match window.phase(now) {
            Phase::NotStarted { .. } => Err(Refusal::NotStarted(window.starts_at)),
            Phase::Ended => Err(Refusal::Ended),
            Phase::Running if kind == OrderKind::Market || self.allowed_kinds.iter().any(|k| k == kind.as_str()) => {
                Ok(())
            }
            Phase::Running => Err(Refusal::KindNotAllowed(kind.label().to_owned())),
        }
    }

    fn check_buy(&self, order: &OrderFacts<'_>) -> Result<(), Refusal> {
        let symbol = order.symbol.to_string();
        if let Some(min) = self.min_share_price {
            if order.price < min {
                return Err(Refusal::BelowMinimumPrice { min, symbol, price: order.price });
            }
        }
        if let Some(limit) = self.max_position_percent {
            // The buy turns cash into stock: the portfolio's value stays, the position grows.
            let bought = order.price.amount() * Decimal::from(order.quantity.get());
            let after = Percent::of(order.position_value.amount() + bought, order.portfolio_value.amount());
            if order.portfolio_value.is_zero() || after.value() > Decimal::from(limit) {
                return Err(Refusal::PositionLimit { limit, symbol, after: after.value().normalize().to_string() });
            }
        }
        Ok(())
    }

    fn check_sell(&self, order: &OrderFacts<'_>) -> Result<(), Refusal> {
        if let (Some(minutes), Some(bought_at)) = (self.quick_sell_minutes, order.last_buy_at) {
            let from = bought_at + Duration::minutes(i64::from(minutes));
            if order.now < from {
                return Err(Refusal::QuickSell { minutes, symbol: order.symbol.to_string(), from });
            }
        }
        Ok(())
    }

    /// Whether a player may join at `now`: before the end, and after the start only when late
    /// joining is allowed.
    pub fn may_join(&self, window: &Window, now: DateTime<Utc>) -> Result<(), JoinRefusal> {
        match window.phase(now) {
            Phase::NotStarted { .. } => Ok(()),
            Phase::Running if self.late_joining => Ok(()),
            Phase::Running => Err(JoinRefusal::Started),
            Phase::Ended => Err(JoinRefusal::Ended),
        }
    }
}

/// Why a player cannot join a game now.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum JoinRefusal {
    #[error("this game has started and does not take late players; ask its organiser")]
    Started,
    #[error("this game has ended")]
    Ended,
}
