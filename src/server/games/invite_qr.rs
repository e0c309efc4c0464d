//! `GET /games/join/{code}/qr.svg`: the invite link of a join code as a QR code, for a teacher to
//! put on the projector. Drawn from the code alone (no lookup: a code that joins nothing draws a
//! link that says so when followed), so it is cached like a file.

use crate::domain::game::JoinCode;
use crate::server::games::invite_url;
use crate::server::platform::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

pub async fn qr_svg(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    let Ok(code) = JoinCode::parse(&code) else {
        return (StatusCode::NOT_FOUND, "not a join code").into_response();
    };
    let link = invite_url(&state.config.link_base(), code.as_str());
    // Medium error correction: readable from the back of a classroom, still a small code.
    let Ok(qr) = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M) else {
        tracing::error!(len = link.len(), "the invite link does not fit a QR code");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let image = qr
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], image).into_response()
}
