//! The deployment's market seed: generated once from the operating system's randomness, stored
//! in `market_secret` (one row, so every instance on the database agrees), never sent to a
//! client. `MARKET_SEED` pins it instead (tests, demos that want known prices).

use crate::server::market::simulated::MarketSeed;
use sqlx::PgPool;

/// The seed of this deployment: `pinned` when configured, else the stored one (stored now, by
/// whichever instance gets there first, when there is none yet).
pub async fn load_or_create(pool: &PgPool, pinned: Option<u64>) -> Result<MarketSeed, sqlx::Error> {
    if let Some(seed) = pinned {
        return Ok(MarketSeed::new(seed));
    }
    // uuid's v4 draws its 122 random bits from the operating system (getrandom).
    let fresh = i64::from_ne_bytes(uuid::Uuid::new_v4().as_bytes()[..8].try_into().unwrap_or_default());
    let stored: i64 = sqlx::query_scalar(
        "WITH created AS (
             INSERT INTO market_secret (seed) VALUES ($1) ON CONFLICT (only_row) DO NOTHING RETURNING seed
         )
         SELECT seed FROM created UNION ALL SELECT seed FROM market_secret LIMIT 1",
    )
    .bind(fresh)
    .fetch_one(pool)
    .await?;
    Ok(MarketSeed::new(u64::from_ne_bytes(stored.to_ne_bytes())))
}
