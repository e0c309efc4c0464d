//! Google and GitHub sign-in against a fake provider speaking their protocols: state and PKCE,
//! single use, linking rules, guests keeping their portfolio, and tokens kept on the server.

use crate::auth::{sign_up, viewer};
use crate::fake_provider::{FakeProvider, Person, CLIENT_SECRET};
use crate::harness::{browser, session_cookie, TestApp};
use papertrade::domain::AuthProvider;
use reqwest::{StatusCode, Url};
use uuid::Uuid;

pub async fn app_with(fake: &FakeProvider) -> TestApp {
    let vars = fake.config();
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    TestApp::spawn_with(&vars).await
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").expect("a redirect").to_str().unwrap().to_owned()
}

/// Starts a sign-in; returns the provider's authorization URL the browser is sent to.
async fn start(app: &TestApp, client: &reqwest::Client, provider: &str) -> Url {
    let response = client.get(format!("{}/auth/{provider}", app.address)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    Url::parse(&location(&response)).unwrap()
}

/// The person approves at the provider; returns the callback URL the provider sends them back to.
async fn approve(client: &reqwest::Client, authorize_url: &Url) -> String {
    let response = client.get(authorize_url.clone()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "the fake provider approved");
    location(&response)
}

/// The whole round trip; returns the app's answer to the callback.
pub async fn sign_in_with(app: &TestApp, client: &reqwest::Client, provider: &str) -> reqwest::Response {
    let callback = approve(client, &start(app, client, provider).await).await;
    client.get(callback).send().await.unwrap()
}

fn query(url: &Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

fn with_query(url: &str, name: &str, value: &str) -> String {
    let mut url = Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> =
        url.query_pairs().filter(|(k, _)| k != name).map(|(k, v)| (k.into(), v.into())).collect();
    url.query_pairs_mut().clear().extend_pairs(pairs).append_pair(name, value);
    url.to_string()
}

#[tokio::test]
async fn google_sign_in_creates_an_account_with_a_portfolio_on_a_new_session_id() {
    let fake = FakeProvider::start().await;
    fake.sign_in_as(Person::new("g-100", "grace@example.com", true));
    let app = app_with(&fake).await;
    let client = browser();

    let start_response = client.get(format!("{}/auth/google?next=/dashboard", app.address)).send().await.unwrap();
    let before_login = session_cookie(&start_response).expect("the pending sign-in lives in a session");
    let authorize_url = Url::parse(&location(&start_response)).unwrap();
    assert_eq!(query(&authorize_url, "code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(query(&authorize_url, "code_challenge").map(|c| c.len()), Some(43), "a SHA-256 PKCE challenge");
    assert!(query(&authorize_url, "state").is_some_and(|s| s.len() >= 16));
    assert!(query(&authorize_url, "scope").unwrap().contains("email"));

    let callback = client.get(approve(&client, &authorize_url).await).send().await.unwrap();

    assert_eq!(callback.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&callback), "/dashboard");
    let after_login = session_cookie(&callback).expect("a new session cookie");
    assert_ne!(before_login, after_login, "the session id changes at login");
    let me = viewer(&app, &client).await.expect("signed in");
    assert_eq!(
        (me.provider, me.email.as_deref(), me.username.as_str()),
        (AuthProvider::Google, Some("grace@example.com"), "grace")
    );
    let cash: String = sqlx::query_scalar("SELECT cash_balance::text FROM portfolios WHERE user_id = $1")
        .bind(me.id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(cash, "10000.00");

    // Signing in again finds the same account.
    let again = browser();
    sign_in_with(&app, &again, "google").await;
    assert_eq!(viewer(&app, &again).await.unwrap().id, me.id);
}

#[tokio::test]
async fn a_replayed_callback_is_refused_and_never_logs_in() {
    let fake = FakeProvider::start().await;
    fake.sign_in_as(Person::new("g-1", "a@example.com", true));
    let app = app_with(&fake).await;
    let client = browser();
    let callback = approve(&client, &start(&app, &client, "google").await).await;
    assert_eq!(client.get(&callback).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    client.post(format!("{}/auth/logout", app.address)).send().await.unwrap();

    let replay = client.get(&callback).send().await.unwrap();

    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);
    let page = replay.text().await.unwrap();
    assert!(page.contains("This sign-in link is not valid"), "{page}");
    assert!(viewer(&app, &client).await.is_none(), "the replay did not log in");
    // Nor in another browser that never started a sign-in.
    let stranger = browser();
    assert_eq!(stranger.get(&callback).send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    assert!(viewer(&app, &stranger).await.is_none());
}

#[tokio::test]
async fn a_mismatched_state_is_refused_and_uses_up_the_pending_sign_in() {
    let fake = FakeProvider::start().await;
    fake.sign_in_as(Person::new("g-2", "b@example.com", true));
    let app = app_with(&fake).await;
    let client = browser();
    let callback = approve(&client, &start(&app, &client, "google").await).await;

    let forged = client.get(with_query(&callback, "state", "forged-state")).send().await.unwrap();

    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert!(viewer(&app, &client).await.is_none());
    let genuine_after = client.get(&callback).send().await.unwrap();
    assert_eq!(genuine_after.status(), StatusCode::BAD_REQUEST, "the state was single-use");
    assert_eq!(fake.token_requests(), 0, "no code was exchanged");
}

#[tokio::test]
async fn a_missing_state_or_a_denial_is_refused_with_a_friendly_page() {
    let fake = FakeProvider::start().await;
    fake.sign_in_as(Person::new("g-3", "c@example.com", true));
    let app = app_with(&fake).await;
    let client = browser();
    let callback = approve(&client, &start(&app, &client, "google").await).await;
    let code = query(&Url::parse(&callback).unwrap(), "code").unwrap();

    let missing = client.get(format!("{}/auth/google/callback?code={code}", app.address)).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    assert!(missing.text().await.unwrap().contains("Back to log in"));

    start(&app, &client, "google").await;
    let denied =
        client.get(format!("{}/auth/google/callback?error=access_denied&state=x", app.address)).send().await.unwrap();
    assert_eq!(denied.status(), StatusCode::BAD_REQUEST);
    assert!(denied.text().await.unwrap().contains("Sign-in cancelled"));
    assert!(viewer(&app, &client).await.is_none());
}

#[tokio::test]
async fn a_provider_sign_in_never_lands_in_a_local_account_that_did_not_verify_the_email() {
    let fake = FakeProvider::start().await;
    let app = app_with(&fake).await;
    // Mallory signs up first with ada's address; she cannot have verified it.
    let mallory = browser();
    sign_up(&app, &mallory, "ada@example.com", "mallory").await;
    let claimed = viewer(&app, &mallory).await.unwrap().id;

    // Ada signs in with Google, which has verified her address: she gets an account of her own.
    fake.sign_in_as(Person::new("g-ada", "ada@example.com", true));
    let ada = browser();
    sign_in_with(&app, &ada, "google").await;
    let hers = viewer(&app, &ada).await.expect("signed in");
    assert_ne!(hers.id, claimed, "the pre-claimed account does not receive ada's sign-in");
    assert!(viewer(&app, &mallory).await.is_some_and(|v| v.id == claimed), "mallory's own account is unchanged");
}

#[tokio::test]
async fn a_verified_email_links_to_the_local_account_and_an_unverified_one_does_not() {
    let fake = FakeProvider::start().await;
    let smtp = crate::mailbox::smtp_url();
    let mut vars = fake.config();
    vars.push(("SMTP_URL", smtp));
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = TestApp::spawn_with(&vars).await;
    let ada = crate::email::address("ada");
    let local = browser();
    sign_up(&app, &local, &ada, "ada").await;
    let local_id = viewer(&app, &local).await.unwrap().id;

    fake.sign_in_as(Person::new("g-early", &ada, true));
    let early = browser();
    sign_in_with(&app, &early, "google").await;
    assert_ne!(viewer(&app, &early).await.unwrap().id, local_id, "not linked before ada confirms her email");

    // Ada confirms her address from our letter.
    let token = crate::mailbox::letter(&ada, "Confirm your email").await.token_for("/verify-email");
    assert_eq!(app.call("verify_email", &[("token", &token)]).await.status(), 200);

    fake.sign_in_as(Person::new("g-unverified", &ada, false));
    let unverified = browser();
    sign_in_with(&app, &unverified, "google").await;
    let stranger = viewer(&app, &unverified).await.expect("signed in to a new account");
    assert_ne!(stranger.id, local_id, "an unverified email must not take over the local account");
    assert_ne!(stranger.username, "ada", "the new account gets a free username");

    fake.sign_in_as(Person::new("g-verified", &ada, true));
    let verified = browser();
    sign_in_with(&app, &verified, "google").await;
    assert_eq!(viewer(&app, &verified).await.unwrap().id, local_id, "a verified email links");
}

#[tokio::test]
async fn a_guest_who_connects_github_keeps_the_portfolio() {
    let fake = FakeProvider::start().await;
    fake.sign_in_as(Person::new("4242", "octo@example.com", true));
    let app = app_with(&fake).await;
    let client = browser();
    app.call_as(&client, "start_guest", &[]).await;
    let guest = viewer(&app, &client).await.unwrap();
    let portfolio_id = |user_id: Uuid| {
        sqlx::query_scalar::<_, Uuid>("SELECT id FROM portfolios WHERE user_id = $1").bind(user_id).fetch_one(&app.pool)
    };
    let before = portfolio_id(guest.id).await.unwrap();
    let guest_cookie = session_cookie(&client.get(format!("{}/auth/github", app.address)).send().await.unwrap());

    let callback = sign_in_with(&app, &client, "github").await;

    assert_eq!(location(&callback), "/account", "connecting returns to the settings page");
    assert_ne!(session_cookie(&callback), guest_cookie, "the session id changes at the upgrade");
    let me = viewer(&app, &client).await.unwrap();
    assert_eq!((me.id, me.provider, me.email.as_deref()), (guest.id, AuthProvider::Github, Some("octo@example.com")));
    assert_eq!(portfolio_id(me.id).await.unwrap(), before);
    let connected: Vec<papertrade::wire::providers::ProviderConnection> =
        app.call_as(&client, "connected_providers", &[]).await.json().await.unwrap();
    let github = connected.iter().find(|c| c.provider == AuthProvider::Github).unwrap();
    assert!(github.connected_on.is_some());
}

#[tokio::test]
async fn a_provider_account_connected_elsewhere_cannot_be_connected_again() {
    let fake = FakeProvider::start().await;
    fake.sign_in_as(Person::new("g-shared", "shared@example.com", true));
    let app = app_with(&fake).await;
    sign_in_with(&app, &browser(), "google").await;
    let other = browser();
    sign_up(&app, &other, "other@example.com", "other").await;

    let refused = sign_in_with(&app, &other, "google").await;

    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(viewer(&app, &other).await.unwrap().username, "other", "still signed in as themselves");
}

#[tokio::test]
async fn provider_tokens_are_stored_on_the_server_and_never_sent_to_the_browser() {
    let fake = FakeProvider::start().await;
    fake.sign_in_as(Person::new("g-t", "t@example.com", true));
    let app = app_with(&fake).await;
    let client = browser();

    let callback = sign_in_with(&app, &client, "google").await;

    let token = fake.issued_tokens().pop().expect("a token was issued");
    let stored: String = sqlx::query_scalar("SELECT access_token FROM user_sessions WHERE provider = 'google'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, token);
    let mut seen = format!("{:?}", callback.headers());
    seen += &callback.text().await.unwrap();
    seen += &app.call_as(&client, "current_user", &[]).await.text().await.unwrap();
    seen += &app.call_as(&client, "connected_providers", &[]).await.text().await.unwrap();
    seen += &client.get(format!("{}/account", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(!seen.contains(&token), "the access token reached the browser");
    assert!(!seen.contains(CLIENT_SECRET), "the client secret reached the browser");
}

#[tokio::test]
async fn the_token_exchange_does_not_follow_redirects() {
    let fake = FakeProvider::start().await;
    let elsewhere = FakeProvider::start().await;
    fake.sign_in_as(Person::new("g-r", "r@example.com", true));
    fake.redirect_token_requests_to(&format!("{}/token", elsewhere.address));
    let app = app_with(&fake).await;
    let client = browser();

    let callback = sign_in_with(&app, &client, "google").await;

    assert_eq!(callback.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(elsewhere.token_requests(), 0, "the code and secret were not re-sent elsewhere");
    assert!(viewer(&app, &client).await.is_none());
}

#[tokio::test]
async fn github_sign_in_uses_the_primary_email() {
    let fake = FakeProvider::start().await;
    fake.sign_in_as(Person::new("583231", "octocat@example.com", true));
    let app = app_with(&fake).await;
    let client = browser();

    sign_in_with(&app, &client, "github").await;

    let me = viewer(&app, &client).await.unwrap();
    assert_eq!((me.provider, me.username.as_str()), (AuthProvider::Github, "octocat"));
    assert_eq!(me.email.as_deref(), Some("octocat@example.com"));
}

#[tokio::test]
async fn only_configured_providers_are_offered() {
    let fake = FakeProvider::start().await;
    let google_only: Vec<(&str, String)> = fake.config().into_iter().filter(|(k, _)| k.starts_with("GOOGLE")).collect();
    let vars: Vec<(&str, &str)> = google_only.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = TestApp::spawn_with(&vars).await;

    let offered: Vec<AuthProvider> = app.call("sign_in_providers", &[]).await.json().await.unwrap();
    assert_eq!(offered, vec![AuthProvider::Google]);
    let page = app.get("/login").await.text().await.unwrap();
    assert!(page.contains("Continue with Google") && !page.contains("Continue with GitHub"));
    assert_eq!(app.get("/auth/github").await.status(), StatusCode::NOT_FOUND);

    let bare = TestApp::spawn().await;
    let offered: Vec<AuthProvider> = bare.call("sign_in_providers", &[]).await.json().await.unwrap();
    assert!(offered.is_empty());
    assert!(!bare.get("/login").await.text().await.unwrap().contains("Continue with"));
}

#[tokio::test]
async fn a_password_change_checks_the_callers_own_password_not_an_account_sharing_the_email() {
    let fake = FakeProvider::start().await;
    let app = app_with(&fake).await;
    sign_up(&app, &browser(), "ada@example.com", "ada").await;
    // Mallory signs in with a provider account claiming ada's address (unverified, so it stays
    // apart). It has no password of its own, and cannot be given one without a check.
    fake.sign_in_as(Person::new("g-mallory", "ada@example.com", false));
    let mallory = browser();
    sign_in_with(&app, &mallory, "google").await;
    let change = |current: &'static str| {
        let (app, mallory) = (&app, &mallory);
        let form = [("current_password", current), ("new_password", "mallory's own passphrase")];
        async move {
            let answer = app.call_as(mallory, "change_password", &form).await;
            (answer.status().as_u16(), answer.text().await.unwrap())
        }
    };
    let (status, unchecked) = change("").await;
    assert_eq!(status, 409, "no first password without a check: {unchecked}");
    assert!(unchecked.contains("signs in with Google"), "{unchecked}");

    // So ada's password is no key to anything here: right and wrong guesses get the same answer.
    assert_eq!(change(crate::auth::PASSWORD).await, (409, unchecked.clone()), "ada's password is not hers");
    assert_eq!(change("a wrong guess").await, (409, unchecked));
    let stored: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE provider = 'google'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(stored.is_none());
}
