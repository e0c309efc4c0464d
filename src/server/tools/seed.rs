//! Sample data for development and demos: a local user with a known password, a Google-style
//! user, and a guest, with portfolios, holdings, trades and notifications that add up.
//!
//! Seeding is idempotent: the rows have fixed ids and the whole set is written in one
//! transaction, so a second run finds the demo user and changes nothing.

use crate::domain::portfolio::{PortfolioKind, Position};
use crate::domain::{AuthProvider, Email, Money, Shares, Side, Symbol, Username};
use crate::server::accounts::password::Passwords;
use crate::server::accounts::repo::{identities, users};
use crate::server::notifications::repo;
use crate::server::portfolio::repo::snapshots::{self, SnapshotKind};
use crate::server::portfolio::repo::{holdings, portfolios, trades};
use anyhow::{bail, Context};
use chrono::{Duration, Utc};
use sqlx::PgPool;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Sign in with these to explore a portfolio that already has history (shown in the README).
pub const DEMO_EMAIL: &str = "demo@papertrade.dev";
pub const DEMO_PASSWORD: &str = "papertrade-demo";
pub const DEMO_USER_ID: Uuid = Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0001);

#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded { users: usize, trades: usize },
    AlreadySeeded,
}

struct Account {
    user_id: Uuid,
    portfolio_id: Uuid,
    username: &'static str,
    email: Option<&'static str>,
    password: Option<&'static str>,
    provider: AuthProvider,
    provider_id: Option<&'static str>,
    avatar_url: Option<&'static str>,
    trades: &'static [Trade],
    notes: &'static [Note],
}

struct Trade {
    days_ago: i64,
    symbol: &'static str,
    side: Side,
    quantity: i64,
    price: &'static str,
}

struct Note {
    days_ago: i64,
    trigger: &'static str,
    title: &'static str,
    message: &'static str,
    link: Option<&'static str>,
    read: bool,
}

const WELCOME: Note = Note {
    days_ago: 30,
    trigger: "welcome",
    title: "Welcome to Papertrade",
    message: "You have $10,000 of virtual cash to practise with. Nothing here is real money, so this is \
              the place to try ideas, make mistakes and learn why. Start by looking up a company you know.",
    link: Some("/"),
    read: true,
};

const FIRST_TRADE: Note = Note {
    days_ago: 28,
    trigger: "first_trade",
    title: "Your first trade",
    message: "You bought your first shares. Your average cost is what you paid per share; every gain or \
              loss is measured against it. Keep an eye on how the price moves over the next days.",
    link: Some("/"),
    read: false,
};

fn accounts() -> [Account; 3] {
    [
        Account {
            user_id: DEMO_USER_ID,
            portfolio_id: Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0001_0001),
            username: "demo",
            email: Some(DEMO_EMAIL),
            password: Some(DEMO_PASSWORD),
            provider: AuthProvider::Local,
            provider_id: None,
            avatar_url: None,
            trades: &[
                Trade { days_ago: 28, symbol: "AAPL", side: Side::Buy, quantity: 10, price: "189.50" },
                Trade { days_ago: 21, symbol: "MSFT", side: Side::Buy, quantity: 4, price: "415.20" },
                Trade { days_ago: 14, symbol: "KO", side: Side::Buy, quantity: 20, price: "61.35" },
                Trade { days_ago: 7, symbol: "AAPL", side: Side::Sell, quantity: 3, price: "195.10" },
                Trade { days_ago: 2, symbol: "NVDA", side: Side::Buy, quantity: 6, price: "120.40" },
            ],
            notes: &[
                WELCOME,
                FIRST_TRADE,
                Note {
                    days_ago: 7,
                    trigger: "milestone",
                    title: "You locked in a gain",
                    message: "Selling 3 AAPL above your average cost turned paper profit into a realized gain of \
                          $16.80. Realized gains are final; the shares you still hold keep moving with the market.",
                    link: Some("/"),
                    read: false,
                },
            ],
        },
        Account {
            user_id: Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0002),
            portfolio_id: Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0001_0002),
            username: "ada",
            email: Some("ada.lovelace@example.com"),
            password: None,
            provider: AuthProvider::Google,
            provider_id: Some("104857600000000000042"),
            avatar_url: Some("https://lh3.googleusercontent.com/a/example-avatar"),
            trades: &[
                Trade { days_ago: 20, symbol: "VOO", side: Side::Buy, quantity: 12, price: "502.10" },
                Trade { days_ago: 10, symbol: "JNJ", side: Side::Buy, quantity: 10, price: "152.80" },
            ],
            notes: &[
                WELCOME,
                FIRST_TRADE,
                Note {
                    days_ago: 10,
                    trigger: "concentration",
                    title: "Most of your money is in one fund",
                    message: "VOO is over 40% of your portfolio. An index fund already spreads your money across \
                          500 companies, which is a sensible core; just know that one holding drives most of \
                          your results.",
                    link: Some("/"),
                    read: false,
                },
            ],
        },
        Account {
            user_id: Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0003),
            portfolio_id: Uuid::from_u128(0x5eed_0000_0000_4000_8000_0000_0001_0003),
            username: "guest-5eed",
            email: None,
            password: None,
            provider: AuthProvider::Guest,
            provider_id: None,
            avatar_url: None,
            trades: &[],
            notes: &[WELCOME],
        },
    ]
}

/// Writes the sample data unless it is already there.
#[tracing::instrument(skip_all)]
pub async fn seed(pool: &PgPool, passwords: &Passwords, starting_cash: Money) -> anyhow::Result<SeedOutcome> {
    let mut tx = crate::server::platform::db::begin(pool).await?;
    // Serialize concurrent seeders: the second waits, then sees the data and stops.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('papertrade-seed'))").execute(&mut *tx).await?;
    if users::exists(&mut tx, DEMO_USER_ID).await? {
        return Ok(SeedOutcome::AlreadySeeded);
    }
    let now = Utc::now();
    let (mut user_count, mut trade_count) = (0, 0);
    for account in accounts() {
        let email = account.email.map(Email::parse).transpose()?;
        let password_hash = match account.password {
            Some(password) => Some(passwords.hash(password).await?),
            None => None,
        };
        users::insert(
            &mut tx,
            &users::NewUser {
                id: account.user_id,
                email: email.as_ref(),
                // Sample addresses (example.com) count as confirmed: nobody could confirm them, and
                // the demo would otherwise open under a "confirm your email" banner.
                email_verified: email.is_some(),
                password_hash: password_hash.as_deref(),
                username: &Username::parse(account.username)?,
                provider: account.provider,
                provider_id: account.provider_id,
                avatar_url: account.avatar_url,
            },
        )
        .await?;
        if let Some(provider_id) = account.provider_id {
            let email = email.as_ref().map(Email::as_str);
            identities::insert(&mut tx, account.user_id, account.provider, provider_id, email).await?;
        }

        let ledger = replay(account.trades, starting_cash)
            .with_context(|| format!("seed trades of {} do not add up", account.username))?;
        portfolios::insert(
            &mut tx,
            account.portfolio_id,
            account.user_id,
            PortfolioKind::Personal,
            starting_cash,
            ledger.cash,
        )
        .await?;
        let opened_days_ago = account.trades.iter().map(|t| t.days_ago + 1).max().unwrap_or(0);
        let opened_at = now - Duration::days(opened_days_ago);
        snapshots::insert(&mut tx, account.portfolio_id, SnapshotKind::Open, starting_cash, starting_cash, opened_at)
            .await?;
        for (trade, entry) in account.trades.iter().zip(&ledger.entries) {
            // A fresh key each: the row is always written.
            trades::insert_once(
                &mut tx,
                &trades::NewTrade {
                    portfolio_id: account.portfolio_id,
                    symbol: &entry.symbol,
                    side: trade.side,
                    quantity: entry.quantity,
                    price: entry.price,
                    amount: entry.amount,
                    realized_pnl: entry.realized_pnl,
                    cash_after: entry.cash_after,
                    idempotency_key: Uuid::new_v4(),
                    order_id: None,
                    commission: Money::ZERO,
                    executed_at: now - Duration::days(trade.days_ago),
                },
            )
            .await?;
        }
        for (symbol, position) in &ledger.positions {
            holdings::save(&mut tx, account.portfolio_id, symbol, Some(position)).await?;
        }
        for note in account.notes {
            let created_at = now - Duration::days(note.days_ago);
            repo::insert(
                &mut tx,
                &repo::NewNotification {
                    user_id: account.user_id,
                    title: note.title,
                    message: note.message,
                    trigger_type: note.trigger,
                    link: note.link,
                    created_at,
                    read_at: note.read.then_some(created_at),
                    portfolio_id: None,
                },
            )
            .await?;
        }
        user_count += 1;
        trade_count += account.trades.len();
    }
    tx.commit().await?;
    Ok(SeedOutcome::Seeded { users: user_count, trades: trade_count })
}

#[derive(Debug)]
struct Entry {
    symbol: Symbol,
    quantity: Shares,
    price: Money,
    amount: Money,
    realized_pnl: Option<Money>,
    cash_after: Money,
}

#[derive(Debug)]
struct Ledger {
    cash: Money,
    positions: BTreeMap<Symbol, Position>,
    entries: Vec<Entry>,
}

/// Plays the trades in order from `starting_cash`, with the same position math as real orders.
fn replay(trades: &[Trade], starting_cash: Money) -> anyhow::Result<Ledger> {
    let mut ledger = Ledger { cash: starting_cash, positions: BTreeMap::new(), entries: Vec::new() };
    for trade in trades {
        let symbol = Symbol::parse(trade.symbol)?;
        let quantity = Shares::new(trade.quantity)?;
        let price = Money::parse_non_negative(trade.price)?;
        let amount = price.checked_times(quantity.get()).context("trade amount overflows")?;
        let realized_pnl = match trade.side {
            Side::Buy => {
                let position = Position::after_buy(ledger.positions.get(&symbol).copied(), quantity, price)?;
                ledger.positions.insert(symbol.clone(), position);
                ledger.cash = ledger.cash.checked_sub(amount).context("cash overflows")?;
                None
            }
            Side::Sell => {
                let held = ledger.positions.get(&symbol).copied().context("selling shares not held")?;
                let outcome = held.sell(quantity, price)?;
                match outcome.remaining {
                    Some(position) => ledger.positions.insert(symbol.clone(), position),
                    None => ledger.positions.remove(&symbol),
                };
                ledger.cash = ledger.cash.checked_add(outcome.proceeds).context("cash overflows")?;
                Some(outcome.realized_pnl)
            }
        };
        if ledger.cash.is_negative() {
            bail!("buying {quantity} {symbol} needs more than the starting cash of {}", starting_cash.to_usd());
        }
        ledger.entries.push(Entry { symbol, quantity, price, amount, realized_pnl, cash_after: ledger.cash });
    }
    Ok(ledger)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_ledger_adds_up_from_ten_thousand_dollars() {
        for account in accounts() {
            let ledger = replay(account.trades, Money::from_cents(1_000_000)).unwrap();
            assert!(!ledger.cash.is_negative(), "{}", account.username);
        }
    }

    #[test]
    fn the_demo_ledger_has_the_expected_balances() {
        let ledger = replay(accounts()[0].trades, Money::from_cents(1_000_000)).unwrap();
        // 10000 - 1895 - 1660.80 - 1227 + 585.30 - 722.40
        assert_eq!(ledger.cash, Money::parse("5080.10").unwrap());
        assert_eq!(ledger.positions.len(), 4);
        let aapl = ledger.positions[&Symbol::parse("AAPL").unwrap()];
        assert_eq!(aapl.shares, 7);
        assert_eq!(ledger.entries[3].realized_pnl, Some(Money::parse("16.80").unwrap()));
    }

    #[test]
    fn too_little_starting_cash_is_a_clear_error() {
        let error = replay(accounts()[0].trades, Money::from_cents(100_000)).unwrap_err();
        assert!(error.to_string().contains("needs more than the starting cash of $1,000.00"), "{error}");
    }
}
