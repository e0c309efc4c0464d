//! Arrange helpers: fresh databases, a running server, and the seeded sample data.

use chrono::{DateTime, Utc};
use papertrade::domain::quote::{ChartRange, PricePoint, Quote};
use papertrade::domain::Money;
use papertrade::server::accounts::password::Passwords;
use papertrade::server::market::{Listing, Market, MarketError, QuoteSource};
use papertrade::server::platform::config::Config;
use papertrade::server::platform::state::AppState;
use papertrade::server::platform::{db, http};
use papertrade::server::tools::seed;
use reqwest::Url;
use sqlx::{Connection, Executor, PgConnection, PgPool};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
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

/// Writes `count` unread notifications for `username` through the real publishing path (stored,
/// with their live events), the n-th titled `Note {n}` and created n seconds from now.
pub async fn publish_notes(pool: &PgPool, username: &str, count: i64) {
    let user_id: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE username = $1").bind(username).fetch_one(pool).await.unwrap();
    let mut tx = papertrade::server::platform::db::begin(pool).await.unwrap();
    for n in 0..count {
        let title = format!("Note {n}");
        let note = papertrade::server::notifications::repo::NewNotification {
            user_id,
            title: &title,
            message: "Hello.",
            trigger_type: "welcome",
            link: Some("/"),
            created_at: Utc::now() + chrono::Duration::seconds(n),
            read_at: None,
            portfolio_id: None,
        };
        papertrade::server::live::publish_notification(&mut tx, &note).await.unwrap();
    }
    tx.commit().await.unwrap();
}

/// Runs the server binary as a process with only `env` (and PATH) set, from a directory without a
/// `.env` file, and waits for it to finish.
pub fn papertrade(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_papertrade"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs")
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
    /// The state the server runs with (its market, configuration and live-event hub).
    pub state: AppState,
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

    /// A server whose configuration `edit` changed after it was read: for values no variable may
    /// set (a session lifetime of seconds, say).
    pub async fn spawn_with_config(edit: impl FnOnce(&mut papertrade::server::platform::config::Config)) -> TestApp {
        let mut config = config_with(&fresh_database_url().await, &[]);
        edit(&mut config);
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
        TestApp::spawn_with_market(fixed_market(price, previous_close)).await
    }

    /// A server whose market quotes every listed symbol at the price `dial` is set to.
    pub async fn spawn_with_dial(price: &str) -> (TestApp, PriceDial) {
        let (market, dial) = dial_market(price);
        (TestApp::spawn_with_market(market).await, dial)
    }

    /// Like [`TestApp::spawn_with_dial`], with the market open only during `hours`.
    pub async fn spawn_with_dial_and_hours(
        price: &str,
        hours: papertrade::domain::MarketHours,
    ) -> (TestApp, PriceDial) {
        let (market, dial) = dial_market_with_hours(price, hours);
        (TestApp::spawn_with_market(market).await, dial)
    }

    /// Like [`TestApp::spawn_with_fixed_price`], with extra configuration.
    pub async fn spawn_with_fixed_price_and(price: &str, vars: &[(&str, &str)]) -> TestApp {
        TestApp::spawn_with_market_and(fixed_market(price, price), vars).await
    }

    /// A server whose quotes come from the source `quotes` makes, given the server's database.
    pub async fn spawn_with_quote_source(quotes: impl FnOnce(PgPool) -> Arc<dyn QuoteSource>) -> TestApp {
        let config = config_with(&fresh_database_url().await, &[]);
        let pool = db::connect(&config).await.expect("connects to the fresh database");
        db::migrate(&pool).await.expect("migrations apply");
        let mut state = AppState::load(config, pool.clone()).await.expect("the market seed is read");
        state.market = Market::with_quotes(papertrade::domain::MarketHours::Always, quotes(pool.clone()));
        TestApp::serve_state(state, pool).await
    }

    async fn spawn_with_market(market: papertrade::server::market::Market) -> TestApp {
        TestApp::spawn_with_market_and(market, &[]).await
    }

    async fn spawn_with_market_and(market: papertrade::server::market::Market, vars: &[(&str, &str)]) -> TestApp {
        let config = config_with(&fresh_database_url().await, vars);
        let pool = db::connect(&config).await.expect("connects to the fresh database");
        db::migrate(&pool).await.expect("migrations apply");
        let mut state = AppState::load(config, pool.clone()).await.expect("the market seed is read");
        state.market = market;
        TestApp::serve_state(state, pool).await
    }

    /// A second server on the same database (its own pool, hub and listener), as another instance
    /// behind a load balancer would be; same market.
    pub async fn another_instance(&self) -> TestApp {
        let config = self.state.config.as_ref().clone();
        let pool = db::connect(&config).await.expect("connects to the shared database");
        let mut state = AppState::load(config, pool.clone()).await.expect("the market seed is read");
        state.market = self.state.market.clone();
        TestApp::serve_state(state, pool).await
    }

    /// A second server on the same database that makes its own market from the configuration
    /// and the database, as a new process would (not a copy of this one's).
    pub async fn started_again(&self) -> TestApp {
        let config = self.state.config.as_ref().clone();
        let pool = db::connect(&config).await.expect("connects to the shared database");
        TestApp::serve_state(AppState::load(config, pool.clone()).await.expect("the market seed is read"), pool).await
    }

    /// A server that shuts down gracefully when the returned sender fires; the handle resolves
    /// when it has stopped.
    pub async fn spawn_stoppable() -> (TestApp, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
        let config = config_with(&fresh_database_url().await, &[]);
        let pool = db::connect(&config).await.expect("connects to the fresh database");
        db::migrate(&pool).await.expect("migrations apply");
        let state = AppState::load(config, pool.clone()).await.expect("the market seed is read");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds a port");
        let address = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(http::serve(listener, state.clone(), async move {
            let _ = stopped.await;
        }));
        let handle = tokio::spawn(async move {
            server.await.expect("the server task does not panic").expect("the server stops cleanly");
        });
        (TestApp { address, pool, client: browser(), state }, stop, handle)
    }

    /// A server whose database cannot be reached (nothing listens on port 1).
    pub async fn spawn_without_database() -> TestApp {
        // A pinned market seed: the stored one cannot be read (a real server reads it, after
        // its migrations, before it serves).
        let vars = [("DATABASE_ACQUIRE_TIMEOUT_SECS", "1"), ("MARKET_SEED", "1")];
        let config = config_with("postgres://nobody:pw@127.0.0.1:1/papertrade", &vars);
        let pool = db::connect_lazy(&config);
        TestApp::serve(config, pool).await
    }

    async fn serve(config: Config, pool: PgPool) -> TestApp {
        TestApp::serve_state(AppState::load(config, pool.clone()).await.expect("the market seed is read"), pool).await
    }

    async fn serve_state(state: AppState, pool: PgPool) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds a port");
        let address = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(http::serve(listener, state.clone(), std::future::pending()));
        TestApp { address, pool, client: browser(), state }
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
/// A response silent for a minute is an error, so a stalled server fails its test instead of
/// hanging the suite (event streams send a keep-alive well within that).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .read_timeout(READ_PATIENCE)
        .build()
        .unwrap()
}

pub const READ_PATIENCE: Duration = Duration::from_secs(60);

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

fn money(text: &str) -> Money {
    Money::parse(text).expect("a price")
}

/// The built-in universe, every symbol quoted at `price` against a previous close of `previous_close`.
pub fn fixed_market(price: &str, previous_close: &str) -> papertrade::server::market::Market {
    let dial = PriceDial(Arc::new(Mutex::new((money(price), money(previous_close)))));
    Market::with_quotes(papertrade::domain::MarketHours::Always, Arc::new(dial))
}

/// The built-in universe, every symbol quoted at one price that the test moves with the dial.
pub fn dial_market(price: &str) -> (Market, PriceDial) {
    dial_market_with_hours(price, papertrade::domain::MarketHours::Always)
}

pub fn dial_market_with_hours(price: &str, hours: papertrade::domain::MarketHours) -> (Market, PriceDial) {
    let dial = PriceDial(Arc::new(Mutex::new((money(price), money(price)))));
    (Market::with_quotes(hours, Arc::new(dial.clone())), dial)
}

/// A quote source for tests: every symbol at one price (and one previous close) that only the
/// test changes.
#[derive(Clone)]
pub struct PriceDial(Arc<Mutex<(Money, Money)>>);

impl PriceDial {
    /// Every symbol is quoted at `price` from now on (the previous close stays).
    pub fn set(&self, price: &str) {
        self.0.lock().unwrap().0 = money(price);
    }

    fn prices(&self) -> (Money, Money) {
        *self.0.lock().unwrap()
    }
}

#[async_trait::async_trait]
impl QuoteSource for PriceDial {
    async fn quote(&self, listing: &Listing, now: DateTime<Utc>) -> Result<Quote, MarketError> {
        let (price, previous_close) = self.prices();
        Ok(Quote { symbol: listing.symbol.clone(), price, previous_close, as_of: now })
    }

    async fn history(
        &self,
        _: &Listing,
        range: ChartRange,
        now: DateTime<Utc>,
    ) -> Result<Vec<PricePoint>, MarketError> {
        let price = self.prices().0;
        Ok(range.sample_times(now).into_iter().map(|at| PricePoint { at, price }).collect())
    }
}
