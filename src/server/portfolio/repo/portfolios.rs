//! The `portfolios` table.

use crate::domain::buying_power::Reserved;
use crate::domain::portfolio::{Holding, PortfolioKind};
use crate::domain::{Money, Symbol};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgConnection, Row};
use uuid::Uuid;

#[tracing::instrument(skip(conn))]
pub async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    user_id: Uuid,
    kind: PortfolioKind,
    starting_cash: Money,
    cash_balance: Money,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO portfolios (id, user_id, kind, starting_cash, cash_balance) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(user_id)
        .bind(kind.as_str())
        .bind(starting_cash.amount())
        .bind(cash_balance.amount())
        .execute(conn)
        .await?;
    Ok(())
}

/// The id and kind of an active portfolio of `user_id`: the one with id `requested`, or the
/// personal one when `requested` is `None`. `None` when the user has no such portfolio — whoever
/// else's it may be.
pub async fn owned(
    conn: &mut PgConnection,
    user_id: Uuid,
    requested: Option<Uuid>,
) -> Result<Option<(Uuid, PortfolioKind)>, sqlx::Error> {
    let row: Option<Owned> = match requested {
        None => {
            sqlx::query_as(
                "SELECT id, kind FROM portfolios WHERE user_id = $1 AND archived_at IS NULL AND kind = 'personal'",
            )
            .bind(user_id)
            .fetch_optional(conn)
            .await?
        }
        Some(id) => {
            sqlx::query_as("SELECT id, kind FROM portfolios WHERE id = $1 AND user_id = $2 AND archived_at IS NULL")
                .bind(id)
                .bind(user_id)
                .fetch_optional(conn)
                .await?
        }
    };
    Ok(row.map(|Owned { id, kind }| (id, kind)))
}

/// An active portfolio of a user's, with the game it plays in (none for the personal one).
#[derive(FromRow)]
pub struct ChoiceRow {
    pub id: Uuid,
    pub game_id: Option<Uuid>,
    pub game_name: Option<String>,
}

/// The active portfolios of `user_id`: the personal one first, then their games, the latest
/// start first.
pub async fn choices(conn: &mut PgConnection, user_id: Uuid) -> Result<Vec<ChoiceRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, g.id AS game_id, g.name AS game_name
         FROM portfolios p
         LEFT JOIN game_players gp ON gp.portfolio_id = p.id
         LEFT JOIN games g ON g.id = gp.game_id
         WHERE p.user_id = $1 AND p.archived_at IS NULL
         ORDER BY p.kind <> 'personal', g.starts_at DESC, p.created_at",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// The columns of an ownership check.
#[derive(FromRow)]
struct Owned {
    id: Uuid,
    #[sqlx(try_from = "String")]
    kind: PortfolioKind,
}

/// The holdings side of rows of `portfolios p LEFT JOIN holdings h`: a portfolio without
/// holdings is one row of NULLs there.
fn joined_holdings(rows: &[PgRow]) -> Result<Vec<Holding>, sqlx::Error> {
    let mut holdings = Vec::with_capacity(rows.len());
    for row in rows {
        if row.try_get::<Option<String>, _>("symbol")?.is_some() {
            holdings.push(Holding::from_row(row)?);
        }
    }
    Ok(holdings)
}

/// The stored state of an active portfolio, before valuation.
pub struct StoredPortfolio {
    pub id: Uuid,
    pub cash: Money,
    pub starting_cash: Money,
    pub opened_at: DateTime<Utc>,
    pub holdings: Vec<Holding>,
}

/// The active portfolio `id` with its holdings, in one statement.
#[tracing::instrument(skip(conn))]
pub async fn with_holdings(conn: &mut PgConnection, id: Uuid) -> Result<Option<StoredPortfolio>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.cash_balance, p.starting_cash, p.created_at, h.symbol, h.shares, h.average_price
         FROM portfolios p LEFT JOIN holdings h ON h.portfolio_id = p.id
         WHERE p.id = $1 AND p.archived_at IS NULL",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let row = (
        first.try_get("id")?,
        first.try_get("cash_balance")?,
        first.try_get("starting_cash")?,
        first.try_get("created_at")?,
    );
    Ok(Some(StoredPortfolio { holdings: joined_holdings(&rows)?, ..stored(row) }))
}

/// Archives a portfolio: it keeps its holdings and ledger but leaves every view.
pub async fn archive(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE portfolios SET archived_at = now() WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// The active portfolio `id` (with no holdings read yet), locked until the transaction ends;
/// `None` once it is archived (a reset that committed while this waited). Taking the lock
/// announces a change: the version moves on, so an order that read the portfolio without locks
/// finds its fill's statement writes nothing ([`super::fills`]). Orders lock the portfolio before
/// anything else of it, so they cannot deadlock.
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> Result<Option<StoredPortfolio>, sqlx::Error> {
    let row: Option<(Uuid, Decimal, Decimal, DateTime<Utc>)> = sqlx::query_as(
        "UPDATE portfolios SET version = version + 1 WHERE id = $1 AND archived_at IS NULL
         RETURNING id, cash_balance, starting_cash, created_at",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(stored))
}

/// What an order decides on, as one statement saw it: the portfolio, its holdings, what its open
/// orders hold back, and the version those belong to.
pub struct OrderState {
    pub kind: PortfolioKind,
    pub version: i64,
    pub stored: StoredPortfolio,
    pub reserved: Reserved,
}

/// The active portfolio `requested` of `user_id` (their personal one when `None`) as an order in
/// `symbol` sees it, in one statement and without locks; `None` when the user has no such
/// portfolio. `except_order` is an open order being filled: what it holds back is its own.
pub async fn for_order(
    conn: &mut PgConnection,
    user_id: Uuid,
    requested: Option<Uuid>,
    symbol: &Symbol,
    except_order: Option<Uuid>,
) -> Result<Option<OrderState>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.kind, p.version, p.cash_balance, p.starting_cash, p.created_at,
                r.cash AS reserved_cash, r.shares AS reserved_shares, h.symbol, h.shares, h.average_price
         FROM portfolios p
         CROSS JOIN LATERAL (
             SELECT coalesce(sum(o.reserved_cash), 0) AS cash,
                    coalesce(sum(o.quantity) FILTER (WHERE o.side = 'sell' AND o.symbol = $3), 0)::bigint AS shares
             FROM orders o
             WHERE o.portfolio_id = p.id AND o.state = 'open' AND o.id IS DISTINCT FROM $4
         ) r
         LEFT JOIN holdings h ON h.portfolio_id = p.id
         WHERE p.user_id = $1 AND p.archived_at IS NULL
           AND CASE WHEN $2::uuid IS NULL THEN p.kind = 'personal' ELSE p.id = $2 END",
    )
    .bind(user_id)
    .bind(requested)
    .bind(symbol.as_str())
    .bind(except_order)
    .fetch_all(conn)
    .await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let Owned { kind, .. } = Owned::from_row(first)?;
    let row = (
        first.try_get("id")?,
        first.try_get("cash_balance")?,
        first.try_get("starting_cash")?,
        first.try_get("created_at")?,
    );
    Ok(Some(OrderState {
        kind,
        version: first.try_get("version")?,
        stored: StoredPortfolio { holdings: joined_holdings(&rows)?, ..stored(row) },
        reserved: Reserved {
            cash: Money::from_decimal(first.try_get("reserved_cash")?),
            shares: first.try_get("reserved_shares")?,
        },
    }))
}

fn stored((id, cash, starting_cash, opened_at): (Uuid, Decimal, Decimal, DateTime<Utc>)) -> StoredPortfolio {
    StoredPortfolio {
        id,
        cash: Money::from_decimal(cash),
        starting_cash: Money::from_decimal(starting_cash),
        opened_at,
        holdings: Vec::new(),
    }
}

pub async fn set_cash(conn: &mut PgConnection, id: Uuid, cash: Money) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE portfolios SET cash_balance = $2 WHERE id = $1")
        .bind(id)
        .bind(cash.amount())
        .execute(conn)
        .await?;
    Ok(())
}

/// An active portfolio as the scheduled coach reads it, a page at a time.
#[derive(sqlx::FromRow)]
pub struct ActivePortfolio {
    pub id: Uuid,
    pub user_id: Uuid,
    #[sqlx(try_from = "String")]
    pub kind: PortfolioKind,
    pub cash_balance: Decimal,
    pub starting_cash: Decimal,
    pub created_at: DateTime<Utc>,
    pub last_trade_at: Option<DateTime<Utc>>,
}

/// Up to `limit` active portfolios with ids after `after`, in id order (keyset pagination).
pub async fn active_page(
    conn: &mut PgConnection,
    after: Uuid,
    limit: i64,
) -> Result<Vec<ActivePortfolio>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.user_id, p.kind, p.cash_balance, p.starting_cash, p.created_at,
                (SELECT max(t.executed_at) FROM trades t WHERE t.portfolio_id = p.id) AS last_trade_at
         FROM portfolios p WHERE p.archived_at IS NULL AND p.id > $1 ORDER BY p.id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await
}
