//! A stand-in for Google and GitHub: a real HTTP server in the test process that speaks their
//! OAuth and profile protocols — it checks PKCE, the redirect URI and the client's credentials,
//! and can be told to misbehave.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const CLIENT_ID: &str = "papertrade-test-client";
pub const CLIENT_SECRET: &str = "fake-provider-secret-not-for-logs";

/// Who "signs in" at the fake provider.
#[derive(Clone)]
pub struct Person {
    pub id: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: String,
}

impl Person {
    pub fn new(id: &str, email: &str, verified: bool) -> Person {
        let name = email.split('@').next().unwrap_or("someone").to_owned();
        Person { id: id.into(), email: Some(email.into()), email_verified: verified, name }
    }
}

#[derive(Default)]
struct Inner {
    person: Option<Person>,
    /// code → (PKCE challenge, challenge method, redirect URI)
    codes: HashMap<String, (String, String, String)>,
    /// access token → the person it was issued for
    tokens: HashMap<String, Person>,
    /// Every access token handed out, so tests can look for leaks.
    issued: Vec<String>,
    /// When set, the token endpoint answers with a redirect here instead of tokens.
    token_redirect: Option<String>,
    token_requests: usize,
}

#[derive(Clone, Default)]
pub struct FakeProvider {
    inner: Arc<Mutex<Inner>>,
    pub address: String,
}

impl FakeProvider {
    pub async fn start() -> FakeProvider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let provider = FakeProvider { address, ..FakeProvider::default() };
        let app = Router::new()
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/userinfo", get(google_userinfo))
            .route("/api/user", get(github_user))
            .route("/api/user/emails", get(github_emails))
            .with_state(provider.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        provider
    }

    /// The settings that point the app's Google and GitHub sign-in at this server.
    pub fn config(&self) -> Vec<(&'static str, String)> {
        let at = |path: &str| format!("{}{path}", self.address);
        vec![
            ("GOOGLE_CLIENT_ID", CLIENT_ID.into()),
            ("GOOGLE_CLIENT_SECRET", CLIENT_SECRET.into()),
            ("GOOGLE_AUTH_URL", at("/authorize")),
            ("GOOGLE_TOKEN_URL", at("/token")),
            ("GOOGLE_USERINFO_URL", at("/userinfo")),
            ("GITHUB_CLIENT_ID", CLIENT_ID.into()),
            ("GITHUB_CLIENT_SECRET", CLIENT_SECRET.into()),
            ("GITHUB_AUTH_URL", at("/authorize")),
            ("GITHUB_TOKEN_URL", at("/token")),
            ("GITHUB_API_URL", at("/api")),
        ]
    }

    /// The person who approves the next sign-ins.
    pub fn sign_in_as(&self, person: Person) {
        self.inner.lock().unwrap().person = Some(person);
    }

    pub fn redirect_token_requests_to(&self, url: &str) {
        self.inner.lock().unwrap().token_redirect = Some(url.into());
    }

    pub fn token_requests(&self) -> usize {
        self.inner.lock().unwrap().token_requests
    }

    pub fn issued_tokens(&self) -> Vec<String> {
        self.inner.lock().unwrap().issued.clone()
    }
}

/// Approves at once, like a person who clicks "Allow": back to the app with a code and the state.
async fn authorize(State(fake): State<FakeProvider>, Query(query): Query<HashMap<String, String>>) -> Response {
    let field = |name: &str| query.get(name).cloned().unwrap_or_default();
    if field("client_id") != CLIENT_ID || field("response_type") != "code" {
        return (StatusCode::BAD_REQUEST, "bad authorization request").into_response();
    }
    let code = format!("code-{}", uuid::Uuid::new_v4().simple());
    let redirect_uri = field("redirect_uri");
    fake.inner
        .lock()
        .unwrap()
        .codes
        .insert(code.clone(), (field("code_challenge"), field("code_challenge_method"), redirect_uri.clone()));
    let state = query.get("state").map(|state| format!("&state={state}")).unwrap_or_default();
    Redirect::to(&format!("{redirect_uri}?code={code}{state}")).into_response()
}

async fn token(
    State(fake): State<FakeProvider>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut inner = fake.inner.lock().unwrap();
    inner.token_requests += 1;
    if let Some(elsewhere) = &inner.token_redirect {
        return Redirect::temporary(elsewhere).into_response();
    }
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    let authorized = headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Basic {basic}"));
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    let invalid = |reason: &str| {
        (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_grant", "error_description": reason}))).into_response()
    };
    if !authorized {
        return (StatusCode::UNAUTHORIZED, Json(json!({"error": "invalid_client"}))).into_response();
    }
    // A code is good for one exchange.
    let Some((challenge, method, redirect_uri)) = inner.codes.remove(&field("code")) else {
        return invalid("unknown or used code");
    };
    let verifier_hash = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(field("code_verifier")));
    if method != "S256" || challenge != verifier_hash {
        return invalid("PKCE verification failed");
    }
    if field("redirect_uri") != redirect_uri || field("grant_type") != "authorization_code" {
        return invalid("redirect_uri or grant_type mismatch");
    }
    let Some(person) = inner.person.clone() else { return invalid("nobody signed in") };
    let access_token = format!("access-{}", uuid::Uuid::new_v4().simple());
    inner.tokens.insert(access_token.clone(), person);
    inner.issued.push(access_token.clone());
    Json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": 3599,
        "refresh_token": format!("refresh-{}", uuid::Uuid::new_v4().simple()),
    }))
    .into_response()
}

fn bearer(fake: &FakeProvider, headers: &HeaderMap) -> Option<Person> {
    let token = headers.get("authorization")?.to_str().ok()?.strip_prefix("Bearer ")?;
    fake.inner.lock().unwrap().tokens.get(token).cloned()
}

async fn google_userinfo(State(fake): State<FakeProvider>, headers: HeaderMap) -> Response {
    let Some(person) = bearer(&fake, &headers) else { return StatusCode::UNAUTHORIZED.into_response() };
    Json(json!({
        "sub": person.id,
        "email": person.email,
        "email_verified": person.email_verified,
        "name": person.name,
        "picture": "https://lh3.googleusercontent.com/a/fake",
    }))
    .into_response()
}

async fn github_user(State(fake): State<FakeProvider>, headers: HeaderMap) -> Response {
    let Some(person) = bearer(&fake, &headers) else { return StatusCode::UNAUTHORIZED.into_response() };
    let id: u64 = person.id.parse().unwrap_or(1);
    Json(json!({ "id": id, "login": person.name, "avatar_url": "https://avatars.githubusercontent.com/u/1", "email": Value::Null }))
        .into_response()
}

async fn github_emails(State(fake): State<FakeProvider>, headers: HeaderMap) -> Response {
    let Some(person) = bearer(&fake, &headers) else { return StatusCode::UNAUTHORIZED.into_response() };
    let emails: Vec<Value> = person
        .email
        .iter()
        .map(|email| json!({ "email": email, "primary": true, "verified": person.email_verified, "visibility": "private" }))
        .collect();
    Json(Value::Array(emails)).into_response()
}
