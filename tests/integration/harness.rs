//! Arrange helpers: fresh databases, a running server, and the seeded sample data.

use chrono::{DateTime, Utc};
use papertrade::domain::quote::{ChartRange, PricePoint, Quote};
use papertrade::server::auth::password::Passwords;
use papertrade::server::config::Config;
use papertrade::server::market::{Listing, MarketError, QuoteSource};
use papertrade::server::state::AppState;
use papertrade::server::{db, http, seed};
use reqwest::Url;
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::collections::HashMap;
use uuid::Uuid;

/// The URL of a brand-new, empty database on the test server.
pub async fn fresh_database_url() -> String {
    let admin = std::env::var("TEST_DATABASE_URL")
        .expect("set TEST_DATABASE_URL to a PostgreSQL server URL (make test does this)");
    let mut url = Url::parse(&admin).expect("TEST_DATABASE_URL is a URL");
    let name = format!("pt_test_{}", Uuid::new_v4().simple());
    url.set_path("/postgres");
    let mut conn = PgConnection::connect(url.as_str()).await.expect("the test PostgreSQL server answers");
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("can create a test database");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// Configuration as the binary would read it from `vars`, plus a database URL.
pub fn config_with(database_url: &str, vars: &[(&str, &str)]) -> Config {
    let mut map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    map.insert("DATABASE_URL".into(), database_url.into());
    map.entry("PORT".into()).or_insert_with(|| "0".into());
    Config::from_lookup(|name| map.get(name).cloned()).expect("test configuration is valid")
}

/// A migrated, empty database.
pub async fn fresh_pool() -> PgPool {
    let config = config_with(&fresh_database_url().await, &[]);
    let pool = db::connect(&config).await.expect("connects to the fresh database");
    db::migrate(&pool).await.expect("migrations apply");
    pool
}

pub async fn seed(pool: &PgPool) -> seed::SeedOutcome {
    seed::seed(pool, &Passwords::new(2), papertrade::domain::Money::from_cents(1_000_000))
        .await
        .expect("seeding succeeds")
}

/// The real server, listening on a random local port.
pub struct TestApp {
    pub address: String,
    pub pool: PgPool,
    pub client: reqwest::Client,
}

impl TestApp {
    /// A server on a fresh, migrated database.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(&[]).await
    }

    /// A server on a fresh, migrated database, with extra configuration.
    pub async fn spawn_with(vars: &[(&str, &str)]) -> TestApp {
        let config = config_with(&fresh_database_url().await, vars);
        let pool = db::connect(&config).await.expect("connects to the fresh database");
        db::migrate(&pool).await.expect("migrations apply");
        TestApp::serve(config, pool).await
    }

    /// A server whose market quotes every listed symbol at `price`, forever.
    pub async fn spawn_with_fixed_price(price: &str) -> TestApp {
        TestApp::spawn_with_quote(price, price).await
    }

    /// A server whose market quotes every listed symbol at `price`, against a previous close of
    /// `previous_close`.
    pub async fn spawn_with_quote(price: &str, previous_close: &str) -> TestApp {
        let config = config_with(&fresh_database_url().await, &[]);
        let pool = db::connect(&config).await.expect("connects to the fresh database");
        db::migrate(&pool).await.expect("migrations apply");
        let mut state = AppState::new(config, pool.clone());
        state.market = fixed_market(price, previous_close);
        TestApp::serve_state(state, pool).await
    }

    /// A server whose database cannot be reached (nothing listens on port 1).
    pub async fn spawn_without_database() -> TestApp {
        let config =
            config_with("postgres://nobody:pw@127.0.0.1:1/papertrade", &[("DATABASE_ACQUIRE_TIMEOUT_SECS", "1")]);
        let pool = db::connect_lazy(&config);
        TestApp::serve(config, pool).await
    }

    async fn serve(config: Config, pool: PgPool) -> TestApp {
        TestApp::serve_state(AppState::new(config, pool.clone()), pool).await
    }

    async fn serve_state(state: AppState, pool: PgPool) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds a port");
        let address = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(http::serve(listener, state, std::future::pending()));
        TestApp { address, pool, client: browser() }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("the server answers")
    }

    /// Calls a server function the way the browser's WASM does (URL-encoded POST).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.call_as(&self.client, endpoint, form).await
    }

    /// Like [`TestApp::call`], from another browser (its own cookie jar).
    pub async fn call_as(&self, client: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        client.post(format!("{}/api/{endpoint}", self.address)).form(form).send().await.expect("the server answers")
    }
}

/// A client with its own cookie jar that does not follow redirects, like a browser tab we inspect.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The session cookie a response set, as `name=value`.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    session_set_cookie(response).map(|line| line.split(';').next().unwrap_or_default().to_owned())
}

/// The full `Set-Cookie` line of the session cookie.
pub fn session_set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("papertrade_session="))
        .map(str::to_owned)
}

/// The built-in universe, every symbol quoted at `price` against a previous close of `previous_close`.
pub fn fixed_market(price: &str, previous_close: &str) -> papertrade::server::market::Market {
    let money = |text| papertrade::domain::Money::parse(text).expect("a price");
    papertrade::server::market::Market::with_quotes(
        papertrade::domain::MarketHours::Always,
        std::sync::Arc::new(FixedPrice(money(price), money(previous_close))),
    )
}

/// A quote source for tests that need a price that does not move: every symbol at one price
/// (and one previous close).
struct FixedPrice(papertrade::domain::Money, papertrade::domain::Money);

#[async_trait::async_trait]
impl QuoteSource for FixedPrice {
    async fn quote(&self, listing: &Listing, now: DateTime<Utc>) -> Result<Quote, MarketError> {
        Ok(Quote { symbol: listing.symbol.clone(), price: self.0, previous_close: self.1, as_of: now })
    }

    async fn history(
        &self,
        _: &Listing,
        range: ChartRange,
        now: DateTime<Utc>,
    ) -> Result<Vec<PricePoint>, MarketError> {
        Ok(range.sample_times(now).into_iter().map(|at| PricePoint { at, price: self.0 }).collect())
    }
}
