//! The `orders` table: orders that wait for a price, and what they hold back.

use crate::domain::buying_power::Reserved;
use crate::domain::open_order::{OrderKind, OrderTerms, TimeInForce, Trail, Watch};
use crate::domain::{Money, Shares, Side, Symbol};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

pub struct NewOrder<'a> {
    pub portfolio_id: Uuid,
    pub placed_by: Uuid,
    pub terms: &'a OrderTerms,
    pub watch: Watch,
    pub reserved_cash: Money,
    pub idempotency_key: Uuid,
    pub placed_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The price columns of a kind: limit, stop, trail amount, trail percent.
fn prices(kind: OrderKind) -> (Option<Decimal>, Option<Decimal>, Option<Decimal>, Option<i32>) {
    let amount = |money: Money| Some(money.amount());
    match kind {
        OrderKind::Market => (None, None, None, None),
        OrderKind::Limit { limit } => (amount(limit), None, None, None),
        OrderKind::Stop { stop } => (None, amount(stop), None, None),
        OrderKind::StopLimit { stop, limit } => (amount(limit), amount(stop), None, None),
        OrderKind::TrailingStop { trail: Trail::Dollars(trail) } => (None, None, amount(trail), None),
        OrderKind::TrailingStop { trail: Trail::Percent(percent) } => (None, None, None, i32::try_from(percent).ok()),
    }
}

/// Stores an open order and returns it; `None` when the portfolio already has one with this
/// idempotency key.
pub async fn insert_once(conn: &mut PgConnection, order: &NewOrder<'_>) -> Result<Option<OrderRow>, sqlx::Error> {
    let (limit, stop, trail_amount, trail_percent) = prices(order.terms.kind);
    sqlx::query_as(&format!(
        "INSERT INTO orders (portfolio_id, placed_by, symbol, side, quantity, kind, limit_price, stop_price,
                             trail_amount, trail_percent, water_mark, triggered, time_in_force, reserved_cash,
                             idempotency_key, placed_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT ON CONSTRAINT orders_portfolio_id_idempotency_key_key DO NOTHING
         RETURNING {COLUMNS}"
    ))
    .bind(order.portfolio_id)
    .bind(order.placed_by)
    .bind(order.terms.symbol.as_str())
    .bind(order.terms.side.as_str())
    .bind(order.terms.quantity.get())
    .bind(order.terms.kind.as_str())
    .bind(limit)
    .bind(stop)
    .bind(trail_amount)
    .bind(trail_percent)
    .bind(order.watch.water_mark.map(Money::amount))
    .bind(order.watch.triggered)
    .bind(time_in_force_str(order.terms.time_in_force))
    .bind(order.reserved_cash.amount())
    .bind(order.idempotency_key)
    .bind(order.placed_at)
    .bind(order.expires_at)
    .fetch_optional(conn)
    .await
}

/// Locks the portfolio's order `id` for a change (waiting for a fill or cancel that holds it,
/// so it is seen as they left it).
pub async fn lock(conn: &mut PgConnection, portfolio_id: Uuid, id: Uuid) -> Result<Option<OrderRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM orders WHERE id = $1 AND portfolio_id = $2 FOR UPDATE"))
        .bind(id)
        .bind(portfolio_id)
        .fetch_optional(conn)
        .await
}

/// Writes new terms and reservation to the locked open order `id`; the order as it is now.
pub async fn save_terms(
    conn: &mut PgConnection,
    id: Uuid,
    terms: &OrderTerms,
    reserved_cash: Money,
) -> Result<OrderRow, sqlx::Error> {
    let (limit, stop, trail_amount, trail_percent) = prices(terms.kind);
    sqlx::query_as(&format!(
        "UPDATE orders SET quantity = $2, limit_price = $3, stop_price = $4, trail_amount = $5,
                           trail_percent = $6, reserved_cash = $7
         WHERE id = $1 AND state = 'open'
         RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(terms.quantity.get())
    .bind(limit)
    .bind(stop)
    .bind(trail_amount)
    .bind(trail_percent)
    .bind(reserved_cash.amount())
    .fetch_one(conn)
    .await
}

fn time_in_force_str(time_in_force: TimeInForce) -> &'static str {
    match time_in_force {
        TimeInForce::Day => "day",
        TimeInForce::Gtc => "gtc",
    }
}

/// What the portfolio's open orders hold back: cash for every open buy, and shares of `symbol`
/// for its open sells. `except`: an order not to count (the one being filled).
pub async fn reserved(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    symbol: &Symbol,
    except: Option<Uuid>,
) -> Result<Reserved, sqlx::Error> {
    let (cash, shares): (Decimal, i64) = sqlx::query_as(
        "SELECT coalesce(sum(reserved_cash), 0),
                coalesce(sum(quantity) FILTER (WHERE side = 'sell' AND symbol = $2), 0)::bigint
         FROM orders
         WHERE portfolio_id = $1 AND state = 'open' AND id IS DISTINCT FROM $3",
    )
    .bind(portfolio_id)
    .bind(symbol.as_str())
    .bind(except)
    .fetch_one(conn)
    .await?;
    Ok(Reserved { cash: Money::from_decimal(cash), shares })
}

/// The portfolio's cash and what all its open buys hold back of it.
pub async fn cash_and_reserved(conn: &mut PgConnection, portfolio_id: Uuid) -> Result<(Money, Money), sqlx::Error> {
    let (cash, reserved): (Decimal, Decimal) = sqlx::query_as(
        "SELECT p.cash_balance,
                coalesce((SELECT sum(reserved_cash) FROM orders o WHERE o.portfolio_id = p.id AND o.state = 'open'), 0)
         FROM portfolios p WHERE p.id = $1",
    )
    .bind(portfolio_id)
    .fetch_one(conn)
    .await?;
    Ok((Money::from_decimal(cash), Money::from_decimal(reserved)))
}

/// An order as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct OrderRow {
    pub id: Uuid,
    pub portfolio_id: Uuid,
    pub placed_by: Option<Uuid>,
    pub symbol: String,
    pub side: String,
    pub quantity: i64,
    pub kind: String,
    pub limit_price: Option<Decimal>,
    pub stop_price: Option<Decimal>,
    pub trail_amount: Option<Decimal>,
    pub trail_percent: Option<i32>,
    pub water_mark: Option<Decimal>,
    pub triggered: bool,
    pub time_in_force: String,
    pub reserved_cash: Decimal,
    pub state: String,
    pub state_reason: Option<String>,
    pub trade_id: Option<Uuid>,
    pub placed_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str =
    "id, portfolio_id, placed_by, symbol, side, quantity, kind, limit_price, stop_price, trail_amount,
    trail_percent, water_mark, triggered, time_in_force, reserved_cash, state, state_reason, trade_id, placed_at,
    expires_at, closed_at";

impl OrderRow {
    /// The terms the row holds; `None` for a row the domain would not have written (the
    /// table's CHECKs make that a corrupt row).
    pub fn terms(&self) -> Option<OrderTerms> {
        let money = |amount: Option<Decimal>| amount.map(Money::from_decimal);
        let kind = match self.kind.as_str() {
            "limit" => OrderKind::Limit { limit: money(self.limit_price)? },
            "stop" => OrderKind::Stop { stop: money(self.stop_price)? },
            "stop_limit" => OrderKind::StopLimit { stop: money(self.stop_price)?, limit: money(self.limit_price)? },
            "trailing_stop" => OrderKind::TrailingStop {
                trail: match (money(self.trail_amount), self.trail_percent) {
                    (Some(amount), None) => Trail::Dollars(amount),
                    (None, Some(percent)) => Trail::Percent(u32::try_from(percent).ok()?),
                    _ => return None,
                },
            },
            _ => return None,
        };
        Some(OrderTerms {
            symbol: Symbol::parse(&self.symbol).ok()?,
            side: Side::parse(&self.side)?,
            quantity: Shares::new(self.quantity).ok()?,
            kind,
            time_in_force: if self.time_in_force == "day" { TimeInForce::Day } else { TimeInForce::Gtc },
        })
    }

    pub fn watch(&self) -> Watch {
        Watch { triggered: self.triggered, water_mark: self.water_mark.map(Money::from_decimal) }
    }
}

/// Which of a portfolio's orders to list.
#[derive(Clone, Copy, Default)]
pub struct OrderFilter<'a> {
    pub symbol: Option<&'a Symbol>,
    pub open_only: bool,
}

/// The portfolio's orders matching `filter`, newest first, at most `limit`.
pub async fn list(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    filter: OrderFilter<'_>,
    limit: i64,
) -> Result<Vec<OrderRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM orders
         WHERE portfolio_id = $1 AND ($2::text IS NULL OR symbol = $2) AND (NOT $3 OR state = 'open')
         ORDER BY placed_at DESC, id LIMIT $4"
    ))
    .bind(portfolio_id)
    .bind(filter.symbol.map(Symbol::as_str))
    .bind(filter.open_only)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// What a cancel found.
pub enum Cancel {
    /// It was open, and is cancelled now.
    Cancelled(OrderRow),
    /// It had ended already (filled, expired, cancelled): as it is.
    Closed(OrderRow),
}

/// Cancels the portfolio's open order `id` (`None`: no such order). A fill that holds the row
/// makes the cancel wait, and then find the order filled: each order ends once.
pub async fn cancel(conn: &mut PgConnection, portfolio_id: Uuid, id: Uuid) -> Result<Option<Cancel>, sqlx::Error> {
    let cancelled: Option<OrderRow> = sqlx::query_as(&format!(
        "UPDATE orders SET state = 'cancelled', closed_at = now(), state_reason = 'You cancelled it.'
         WHERE id = $1 AND portfolio_id = $2 AND state = 'open'
         RETURNING {COLUMNS}"
    ))
    .bind(id)
    .bind(portfolio_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(order) = cancelled {
        return Ok(Some(Cancel::Cancelled(order)));
    }
    Ok(by_id(conn, portfolio_id, id).await?.map(Cancel::Closed))
}

/// The portfolio's order `id`.
pub async fn by_id(conn: &mut PgConnection, portfolio_id: Uuid, id: Uuid) -> Result<Option<OrderRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM orders WHERE id = $1 AND portfolio_id = $2"))
        .bind(id)
        .bind(portfolio_id)
        .fetch_optional(conn)
        .await
}

/// The portfolio's order placed with this idempotency key.
pub async fn by_idempotency_key(
    conn: &mut PgConnection,
    portfolio_id: Uuid,
    key: Uuid,
) -> Result<Option<OrderRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM orders WHERE portfolio_id = $1 AND idempotency_key = $2"))
        .bind(portfolio_id)
        .bind(key)
        .fetch_optional(conn)
        .await
}

/// Claims the open order `id` for this transaction: its row locked, or `false` when it is not
/// open, or another transaction (a fill on another instance, a cancel) holds it — that one
/// decides, and this one leaves it (`SKIP LOCKED`, so a matcher never waits behind another).
pub async fn claim(conn: &mut PgConnection, id: Uuid) -> Result<bool, sqlx::Error> {
    let claimed: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM orders WHERE id = $1 AND state = 'open' FOR UPDATE SKIP LOCKED")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(claimed.is_some())
}

/// The claimed order `id` filled as `trade_id`, for `reason`.
pub async fn mark_filled(conn: &mut PgConnection, id: Uuid, trade_id: Uuid, reason: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE orders SET state = 'filled', trade_id = $2, state_reason = $3, closed_at = now()
         WHERE id = $1 AND state = 'open'",
    )
    .bind(id)
    .bind(trade_id)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends the open order `id` as `state` (`rejected`, `expired`) for `reason`; false if it was not open.
pub async fn close(conn: &mut PgConnection, id: Uuid, state: &str, reason: &str) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE orders SET state = $2, state_reason = $3, closed_at = now()
         WHERE id = $1 AND state = 'open'",
    )
    .bind(id)
    .bind(state)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Expires every open order whose time in force ended by `now`; how many.
pub async fn expire_due(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE orders SET state = 'expired', closed_at = now(),
                state_reason = 'It expired: its time in force ended before the price met it.'
         WHERE state = 'open' AND expires_at <= $1",
    )
    .bind(now)
    .execute(conn)
    .await?;
    Ok(result.rows_affected())
}

/// Every open order on one of `symbols`, oldest first (the first placed fills first).
pub async fn open_on(conn: &mut PgConnection, symbols: &[String]) -> Result<Vec<OrderRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM orders WHERE state = 'open' AND symbol = ANY($1) ORDER BY placed_at, id"
    ))
    .bind(symbols)
    .fetch_all(conn)
    .await
}

/// The symbols that have open orders.
pub async fn open_symbols(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT symbol FROM orders WHERE state = 'open'").fetch_all(conn).await
}

/// What an open order remembers between prices, if it is still open.
pub async fn save_watch(conn: &mut PgConnection, id: Uuid, watch: Watch) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE orders SET water_mark = $2, triggered = $3 WHERE id = $1 AND state = 'open'")
        .bind(id)
        .bind(watch.water_mark.map(Money::amount))
        .bind(watch.triggered)
        .execute(conn)
        .await?;
    Ok(())
}

/// The user who owns portfolio `portfolio_id`.
pub async fn owner_of(conn: &mut PgConnection, portfolio_id: Uuid) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM portfolios WHERE id = $1").bind(portfolio_id).fetch_one(conn).await
}
