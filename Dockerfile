# Papertrade: release build with cargo-leptos, then a slim runtime image running as non-root.
# Build: docker build -t papertrade .     Run: see docker-compose.yml and docs/DOCKER.md.

FROM rust:1.95-bookworm AS builder
WORKDIR /app
RUN rustup target add wasm32-unknown-unknown \
 && apt-get update && apt-get install -y --no-install-recommends brotli && rm -rf /var/lib/apt/lists/*
# Pinned build tools (the same pins as scripts/setup.sh); cached unless these lines change.
RUN cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads \
 && cargo install wasm-opt --locked
COPY Cargo.toml Cargo.lock ./
# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
RUN version="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)" \
 && cargo install wasm-bindgen-cli --version "=$version"
COPY . .
# Migrations are embedded with sqlx::migrate!; no query macros, so no database is needed here.
# Then the brotli and gzip copies of the WASM, JS and CSS that the server sends precompressed.
RUN cargo leptos build --release && scripts/precompress.sh target/site

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin papertrade
WORKDIR /app
COPY --from=builder /app/target/release/papertrade /app/papertrade
COPY --from=builder /app/target/site /app/site
ENV LEPTOS_SITE_ROOT=/app/site \
    HOST=0.0.0.0 \
    PORT=3000 \
    RUST_LOG=info
USER papertrade
EXPOSE 3000
ENTRYPOINT ["/app/papertrade"]
CMD ["serve"]
