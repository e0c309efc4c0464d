//! The server binary: see `papertrade --help`.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    papertrade::server::tools::cli::run().await
}

/// The binary only exists for the server build; the browser build uses `lib.rs`.
#[cfg(not(feature = "ssr"))]
fn main() {}
