//! The game form's fields, read into a game — each mistake named on its field — and a game as
//! pages see it.

use super::repo::{GameRow, NewGame};
use crate::domain::game::{Commission, GameRules, JoinCode, Window, WindowError};
use crate::domain::Money;
use crate::wire::games::GameView;
use crate::wire::AppError;
use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The most starting cash a game may give each player.
const MAX_STARTING_CASH: i64 = 10_000_000;
/// The order types that wait, as the form and the table name them.
const WAITING_KINDS: [&str; 4] = ["limit", "stop", "stop_limit", "trailing_stop"];

/// The fields as sent.
pub struct GameForm<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub starts_at: &'a str,
    pub ends_at: &'a str,
    pub starting_cash: &'a str,
    pub commission_kind: &'a str,
    pub commission_value: &'a str,
    pub max_position_percent: &'a str,
    pub min_share_price: &'a str,
    pub quick_sell_minutes: &'a str,
    /// Comma-separated; blank allows market orders only.
    pub allowed_kinds: &'a str,
    pub late_joining: Option<&'a str>,
    pub holdings_visible: Option<&'a str>,
    pub is_public: Option<&'a str>,
    /// Minutes the form's zone is behind UTC (JavaScript's `getTimezoneOffset()`: 300 in New
    /// York in winter, -60 in Paris), for times sent without a zone; blank is UTC.
    pub utc_offset_minutes: &'a str,
}

/// A game read from its form.
pub struct ParsedGame {
    pub name: String,
    pub description: String,
    pub window: Window,
    pub rules: GameRules,
    pub is_public: bool,
}

impl ParsedGame {
    pub fn as_new(&self) -> NewGame<'_> {
        NewGame {
            name: &self.name,
            description: &self.description,
            window: self.window,
            rules: &self.rules,
            is_public: self.is_public,
        }
    }
}

impl GameForm<'_> {
    /// The game these fields describe, at `now`.
    pub fn parse(&self, now: DateTime<Utc>) -> Result<ParsedGame, AppError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(AppError::field("name", "give the game a name of 1 to 80 characters"));
        }
        let description = self.description.trim();
        if description.chars().count() > 2000 {
            return Err(AppError::field("description", "a description has at most 2,000 characters"));
        }
        let behind_utc = behind_utc("starts_at", self.utc_offset_minutes)?;
        let time = |field, input| time(field, input, behind_utc);
        let window = Window::new(time("starts_at", self.starts_at)?, time("ends_at", self.ends_at)?)
            .map_err(|error: WindowError| AppError::field("ends_at", error))?;
        if window.ends_at <= now {
            return Err(AppError::field("ends_at", "a new game must end in the future"));
        }
        let starting_cash = Money::parse_non_negative(self.starting_cash)
            .ok()
            .filter(|cash| !cash.is_zero() && *cash <= Money::from_cents(MAX_STARTING_CASH * 100))
            .ok_or_else(|| AppError::field("starting_cash", "starting cash is $1.00 to $10,000,000.00"))?;
        let rules = GameRules {
            starting_cash,
            commission: self.commission()?,
            max_position_percent: whole(
                "max_position_percent",
                self.max_position_percent,
                1..=100,
                "a whole percent from 1 to 100",
            )?,
            min_share_price: match self.min_share_price.trim() {
                "" => None,
                text => Some(
                    Money::parse_non_negative(text)
                        .ok()
                        .filter(|price| !price.is_zero())
                        .ok_or_else(|| AppError::field("min_share_price", "a minimum price is more than $0.00"))?,
                ),
            },
            quick_sell_minutes: whole(
                "quick_sell_minutes",
                self.quick_sell_minutes,
                1..=10_080,
                "1 to 10,080 minutes (a week)",
            )?,
            allowed_kinds: allowed_kinds(self.allowed_kinds)?,
            late_joining: ticked(self.late_joining),
            holdings_visible: ticked(self.holdings_visible),
        };
        Ok(ParsedGame {
            name: name.to_owned(),
            description: description.to_owned(),
            window,
            rules,
            is_public: ticked(self.is_public),
        })
    }

    fn commission(&self) -> Result<Commission, AppError> {
        let value = || {
            Decimal::from_str(self.commission_value.trim().trim_start_matches('$'))
                .map_err(|_| AppError::field("commission_value", "enter the commission as a number, like 4.95"))
        };
        let commission = match self.commission_kind.trim() {
            "" | "none" => Commission::None,
            "per_trade" => Commission::PerTrade(
                Money::parse_non_negative(self.commission_value).map_err(|e| AppError::field("commission_value", e))?,
            ),
            "per_share" => Commission::PerShare(value()?),
            "percent" => Commission::Percent(value()?),
            _ => return Err(AppError::field("commission_kind", "choose none, per trade, per share or percent")),
        };
        commission.check().map_err(|error| AppError::field("commission_value", error))
    }
}

/// How far the form's zone is behind UTC, from its `utc_offset_minutes` field (JavaScript's
/// `getTimezoneOffset()`); blank is UTC. A mistake is named on `field`.
pub fn behind_utc(field: &str, input: &str) -> Result<chrono::Duration, AppError> {
    let minutes = match input.trim() {
        "" => 0,
        text => text
            .parse::<i64>()
            .ok()
            .filter(|minutes| minutes.abs() <= 16 * 60)
            .ok_or_else(|| AppError::field(field, "the time zone of this form is unknown; reload the page"))?,
    };
    Ok(chrono::Duration::minutes(minutes))
}

/// RFC 3339, or a date and time without a zone (what a `datetime-local` field sends) in the zone
/// `behind_utc` behind UTC.
pub fn time(field: &str, input: &str, behind_utc: chrono::Duration) -> Result<DateTime<Utc>, AppError> {
    let input = input.trim();
    let local = |format| NaiveDateTime::parse_from_str(input, format).map(|time| time.and_utc() + behind_utc);
    DateTime::parse_from_rfc3339(input)
        .map(|time| time.to_utc())
        .or_else(|_| local("%Y-%m-%dT%H:%M"))
        .or_else(|_| local("%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| AppError::field(field, "enter a date and time, like 2026-12-07T14:30"))
}

fn whole(field: &str, input: &str, range: std::ops::RangeInclusive<u32>, words: &str) -> Result<Option<u32>, AppError> {
    match input.trim() {
        "" => Ok(None),
        text => text
            .parse::<u32>()
            .ok()
            .filter(|n| range.contains(n))
            .map(Some)
            .ok_or_else(|| AppError::field(field, words)),
    }
}

fn allowed_kinds(input: &str) -> Result<Vec<String>, AppError> {
    let mut kinds: Vec<String> = Vec::new();
    for kind in input.split(',').map(str::trim).filter(|kind| !kind.is_empty()) {
        if !WAITING_KINDS.contains(&kind) {
            return Err(AppError::field(
                "allowed_kinds",
                format!("“{kind}” is not an order type: use limit, stop, stop_limit or trailing_stop"),
            ));
        }
        if !kinds.iter().any(|known| known == kind) {
            kinds.push(kind.to_owned());
        }
    }
    Ok(kinds)
}

/// A checkbox: sent (as `on`, `true` or `yes`) when ticked.
pub fn ticked(input: Option<&str>) -> bool {
    matches!(input.map(str::trim), Some("on" | "true" | "yes"))
}

/// The game as pages see it.
pub fn view(game: &GameRow) -> GameView {
    let rules = game.rules();
    GameView {
        rules: rule_lines(&rules, game.is_public),
        id: game.id,
        name: game.name.clone(),
        description: game.description.clone(),
        starts_at: game.starts_at,
        ends_at: game.ends_at,
        starting_cash: rules.starting_cash,
        commission: rules.commission.describe(),
        max_position_percent: rules.max_position_percent,
        min_share_price: rules.min_share_price,
        quick_sell_minutes: rules.quick_sell_minutes,
        allowed_kinds: rules.allowed_kinds,
        late_joining: rules.late_joining,
        holdings_visible: rules.holdings_visible,
        is_public: game.is_public,
        join_code: JoinCode::parse(&game.join_code)
            .map(|code| code.display())
            .unwrap_or_else(|_| game.join_code.clone()),
    }
}

/// Every rule in words, for the game page (made here, so the browser's code carries none of it).
fn rule_lines(rules: &GameRules, is_public: bool) -> Vec<(String, String)> {
    let or_none = |value: Option<String>| value.unwrap_or_else(|| "none".to_owned());
    let yes_no = |on: bool| if on { "yes" } else { "no" }.to_owned();
    let kinds = if rules.allowed_kinds.is_empty() {
        "market orders only".to_owned()
    } else {
        format!("market, {}", rules.allowed_kinds.join(", ").replace('_', " "))
    };
    [
        ("Starting cash", rules.starting_cash.to_usd()),
        ("Commission", rules.commission.describe()),
        ("Most in one stock", or_none(rules.max_position_percent.map(|p| format!("{p}% of the portfolio")))),
        ("Lowest share price to buy", or_none(rules.min_share_price.map(Money::to_usd))),
        ("No selling within", or_none(rules.quick_sell_minutes.map(|m| format!("{m} minutes of buying")))),
        ("Order types", kinds),
        ("Late joining", yes_no(rules.late_joining)),
        ("Players see each other's holdings", yes_no(rules.holdings_visible)),
        ("Listed publicly", yes_no(is_public)),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}
