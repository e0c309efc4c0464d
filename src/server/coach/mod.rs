//! Runs the coach: gathers a portfolio's facts, asks `domain::coach` which advice is due, claims
//! each piece in `coach_marks` (one atomic upsert, so two instances never send it twice) and
//! publishes the claimed ones as notifications. After every trade for the trader, and on a
//! schedule for every portfolio (the rules that prices alone can trigger).

pub mod marks;

use crate::domain::coach::{self, Advice, CoachSettings, HoldingFacts, Marks, Occasion, PortfolioFacts};
use crate::domain::portfolio::Holding;
use crate::domain::Money;
use crate::server::live::publish_notification;
use crate::server::market::{self, Market};
use crate::server::notifications::repo::NewNotification;
use crate::server::portfolio::repo::holdings;
use crate::server::portfolio::repo::portfolios::{self, StoredPortfolio};
use crate::server::portfolio::OwnedPortfolio;
use crate::wire::AppError;
use chrono::{DateTime, Utc};
use marks::Track;
use sqlx::{PgConnection, PgPool};
use std::time::Duration;
use uuid::Uuid;

/// How often the scheduled rules run.
pub const SCHEDULE_EVERY: Duration = Duration::from_secs(60);
/// Portfolios evaluated per database round trip on the schedule.
const BATCH: i64 = 500;

/// The welcome note, written in the transaction that creates the account.
pub async fn welcome(
    conn: &mut PgConnection,
    user_id: Uuid,
    starting_cash: Money,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let facts = PortfolioFacts {
        cash: starting_cash,
        starting_cash,
        holdings: Vec::new(),
        opened_at: now,
        last_trade_at: None,
        trades_total: 0,
        trades_today: 0,
    };
    let advice = coach::advise(Occasion::SignedUp, &facts, &Marks::new(), &CoachSettings::default(), now);
    deliver(conn, Track::personal(user_id), &advice, now).await.map(drop)
}

/// Evaluates the trade-time rules for `portfolio` after an order committed, from `stored`, the
/// portfolio as the order left it. Never fails the order: a problem is logged and the scheduled
/// run catches up on the price-driven rules. Advice is marked on the portfolio's track: a game's
/// portfolio is coached on its own; the personal one keeps its marks across resets.
pub async fn after_trade(
    pool: &PgPool,
    market: &Market,
    settings: &CoachSettings,
    portfolio: OwnedPortfolio,
    stored: StoredPortfolio,
    now: DateTime<Utc>,
) {
    let (user_id, track) = (portfolio.user_id(), Track::of_owned(portfolio));
    let evaluated: Result<(), AppError> = async {
        let mut conn = pool.acquire().await?;
        let since = market.hours.change_since(now);
        let (activity, marks) = marks::after_trade(&mut conn, stored.id, track, since).await?;
        let (trades_total, trades_today, last_trade_at) = activity;
        drop(conn);
        let mut prices = PriceBook::new(market, now);
        let facts = PortfolioFacts {
            cash: stored.cash,
            starting_cash: stored.starting_cash,
            holdings: prices.facts(&stored.holdings).await,
            opened_at: stored.opened_at,
            last_trade_at,
            trades_total,
            trades_today,
        };
        let advice = coach::advise(Occasion::Traded, &facts, &marks, settings, now);
        if !advice.is_empty() {
            let mut tx = crate::server::platform::db::begin(pool).await?;
            deliver(&mut tx, track, &advice, now).await?;
            tx.commit().await?;
        }
        Ok(())
    }
    .await;
    if let Err(error) = evaluated {
        tracing::warn!(?error, %user_id, "the coach could not evaluate a trade");
    }
}

/// Delivers a lesson of the order path (an order type used for the first time, a market order
/// far from the last close) on the portfolio's track, once per its rule's cooldown. Never fails
/// the order: a problem is logged.
pub async fn lesson(pool: &PgPool, portfolio: OwnedPortfolio, advice: Option<Advice>, now: DateTime<Utc>) {
    let Some(advice) = advice else { return };
    let delivered: Result<(), sqlx::Error> = async {
        let mut tx = crate::server::platform::db::begin(pool).await?;
        deliver(&mut tx, Track::of_owned(portfolio), std::slice::from_ref(&advice), now).await?;
        tx.commit().await
    }
    .await;
    if let Err(error) = delivered {
        tracing::warn!(?error, key = %advice.key, "the coach could not deliver a lesson");
    }
}

/// One scheduled pass over every active portfolio; returns how many notifications it wrote.
pub async fn scheduled_round(
    pool: &PgPool,
    market: &Market,
    settings: &CoachSettings,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut prices = PriceBook::new(market, now);
    let mut after = Uuid::nil();
    let mut written = 0;
    loop {
        let mut conn = pool.acquire().await?;
        let page = portfolios::active_page(&mut conn, after, BATCH).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let ids: Vec<Uuid> = page.iter().map(|p| p.id).collect();
        let users: Vec<Uuid> = page.iter().map(|p| p.user_id).collect();
        let mut held = holdings::of_portfolios(&mut conn, &ids).await?;
        let marks = marks::of_users(&mut conn, &users).await?;
        drop(conn);
        for portfolio in &page {
            let track = Track::of(portfolio.user_id, portfolio.id, portfolio.kind);
            let facts = PortfolioFacts {
                cash: Money::from_decimal(portfolio.cash_balance),
                starting_cash: Money::from_decimal(portfolio.starting_cash),
                holdings: prices.facts(&held.remove(&portfolio.id).unwrap_or_default()).await,
                opened_at: portfolio.created_at,
                last_trade_at: portfolio.last_trade_at,
                trades_total: 0,
                trades_today: 0,
            };
            let none = Marks::new();
            let advice = coach::advise(Occasion::Scheduled, &facts, marks.get(&track).unwrap_or(&none), settings, now);
            if !advice.is_empty() {
                written += deliver_unless_deleted(pool, track, &advice, now).await?;
            }
        }
        if page.len() < BATCH as usize {
            break;
        }
    }
    Ok(written)
}

/// [`deliver`] in a transaction of its own; an account deleted since its portfolio was read (an
/// expired guest, removed by the housekeeping job meanwhile) gets nothing, and the round goes on.
async fn deliver_unless_deleted(
    pool: &PgPool,
    track: Track,
    advice: &[Advice],
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let user_id = track.user_id;
    let mut tx = crate::server::platform::db::begin(pool).await?;
    match deliver(&mut tx, track, advice, now).await {
        Ok(published) => tx.commit().await.map(|()| published),
        Err(sqlx::Error::Database(error)) if matches!(error.kind(), sqlx::error::ErrorKind::ForeignKeyViolation) => {
            tracing::debug!(%user_id, "the account was deleted during the coach's round");
            Ok(0)
        }
        Err(error) => Err(error),
    }
}

/// Claims each piece of advice on `track` and publishes the claimed ones to the track's user;
/// returns how many were claimed.
async fn deliver(
    conn: &mut PgConnection,
    track: Track,
    advice: &[Advice],
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let mut published = 0;
    for advice in advice {
        let due_if_before = advice.rule.cooldown().and_then(|cooldown| now.checked_sub_signed(cooldown));
        if marks::claim(conn, track, &advice.key, now, due_if_before).await? {
            let note = NewNotification::advice(track.user_id, advice, now).about(track.game_portfolio);
            publish_notification(conn, &note).await?;
            published += 1;
        }
    }
    Ok(published)
}

/// Quotes asked for once per pass and shared by every portfolio in it (a game's class summary
/// uses it too).
pub struct PriceBook<'a>(market::PriceBook<'a>);

impl<'a> PriceBook<'a> {
    pub fn new(market: &'a Market, now: DateTime<Utc>) -> PriceBook<'a> {
        PriceBook(market::PriceBook::new(market, now))
    }

    /// Holdings with their names and prices; one without a quote is left out (nothing to judge).
    pub async fn facts(&mut self, held: &[Holding]) -> Vec<HoldingFacts> {
        let mut facts = Vec::with_capacity(held.len());
        for holding in held {
            if let Some(priced) = self.0.get(&holding.symbol).await {
                facts.push(HoldingFacts {
                    symbol: holding.symbol.to_string(),
                    name: priced.name.clone(),
                    shares: holding.position.shares,
                    average_price: holding.position.average_price,
                    price: priced.quote.price,
                });
            }
        }
        facts
    }
}
