//! The landing page: what Papertrade is, live platform figures, and a calculator to try.

use crate::api::platform::platform_stats;
use crate::domain::number::format_count;
use crate::ui::components::position_calculator::PositionCalculator;
use crate::wire::platform::PlatformFigures;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LandingPage() -> impl IntoView {
    view! {
        <Title text="" />
        <Hero />
        <LiveFigures />
        <Features />
        <HowItWorks />
        <section id="calculator" class="section" aria-labelledby="calculator-title">
            <div class="container split">
                <div>
                    <p class="eyebrow">"Try it now"</p>
                    <h2 id="calculator-title">"How many shares can you afford?"</h2>
                    <p class="lead">
                        "Before every buy, a careful investor asks how much of their cash one position should take. "
                        "Type an amount and a share price to see what you would get."
                    </p>
                </div>
                <PositionCalculator />
            </div>
        </section>
    }
}

#[component]
fn Hero() -> impl IntoView {
    view! {
        <section class="hero">
            <div class="container hero-inner">
                <div class="hero-copy">
                    <p class="eyebrow">"Free · open source · no real money"</p>
                    <h1>"Learn to invest by doing — without risking a cent."</h1>
                    <p class="lead">
                        "Start with $10,000 of virtual cash, buy and sell real companies at market prices, "
                        "and get a coach that explains what each move means."
                    </p>
                    <div class="actions">
                        <a class="button primary" href="#calculator">"Size your first trade"</a>
                        <a class="button secondary" href="#how-it-works">"See how it works"</a>
                    </div>
                </div>
                <SamplePortfolioCard />
            </div>
        </section>
    }
}

/// An illustration of the dashboard to come, labelled as an example.
#[component]
fn SamplePortfolioCard() -> impl IntoView {
    view! {
        <figure class="card sample-card">
            <figcaption class="sample-head">
                <span class="muted">"Example portfolio"</span>
                <span class="sample-value">"$10,842.17"</span>
                <span class="change up">"▲ +$842.17 (+8.42%)"</span>
            </figcaption>
            <svg viewBox="0 0 320 120" role="img" aria-label="Example chart: value rising from $10,000 to $10,842 over a month">
                <defs>
                    <linearGradient id="sample-fill" x1="0" x2="0" y1="0" y2="1">
                        <stop offset="0%" stop-color="var(--accent)" stop-opacity="0.35" />
                        <stop offset="100%" stop-color="var(--accent)" stop-opacity="0" />
                    </linearGradient>
                </defs>
                <path d="M0 92 L32 88 L64 94 L96 76 L128 80 L160 62 L192 66 L224 48 L256 54 L288 30 L320 24 L320 120 L0 120 Z"
                    fill="url(#sample-fill)" />
                <path d="M0 92 L32 88 L64 94 L96 76 L128 80 L160 62 L192 66 L224 48 L256 54 L288 30 L320 24"
                    fill="none" stroke="var(--accent)" stroke-width="3" stroke-linejoin="round" />
            </svg>
            <ul class="sample-holdings">
                <li><span>"AAPL"</span><span class="change up">"▲ 3.0%"</span></li>
                <li><span>"MSFT"</span><span class="change up">"▲ 1.8%"</span></li>
                <li><span>"KO"</span><span class="change down">"▼ 0.6%"</span></li>
            </ul>
        </figure>
    }
}

#[component]
fn LiveFigures() -> impl IntoView {
    let stats = Resource::new(|| (), |()| platform_stats());
    view! {
        <section class="figures" aria-labelledby="figures-title">
            <div class="container">
                <h2 id="figures-title" class="sr-only">"Papertrade today"</h2>
                <Suspense fallback=|| view! { <p class="figures-note muted">"Loading today’s figures…"</p> }>
                    {move || Suspend::new(async move {
                        match stats.await {
                            Ok(stats) => view! { <FigureList stats /> }.into_any(),
                            Err(_) => view! {
                                <p class="figures-note muted" role="status">"Live figures are unavailable right now."</p>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </section>
    }
}

#[component]
fn FigureList(stats: PlatformFigures) -> impl IntoView {
    view! {
        <dl class="figure-list" data-testid="platform-figures">
            <div><dt>"Learners"</dt><dd>{format_count(stats.learners)}</dd></div>
            <div><dt>"Trades executed"</dt><dd>{format_count(stats.trades_executed)}</dd></div>
            <div><dt>"Virtual cash in play"</dt><dd>{stats.virtual_cash.to_usd()}</dd></div>
        </dl>
    }
}

/// Feature cards: an icon (one SVG path, 24×24, stroked), a title and a sentence.
const FEATURES: [(&str, &str, &str); 4] = [
    (
        "M4 6h16a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2zM12 9a3 3 0 1 0 0 6 3 3 0 1 0 0-6z",
        "$10,000 to start",
        "Every account opens with virtual cash. Make mistakes here, not with your savings.",
    ),
    (
        "M3 17l6-6 4 4 8-8M14 7h7v7",
        "A market that never sleeps",
        "A built-in simulated market of real US stocks and ETFs, or live quotes when configured.",
    ),
    (
        "M12 3a9 9 0 1 0 0 18 9 9 0 1 0 0-18zM15.5 8.5l-2 5-5 2 2-5z",
        "A coach, not a casino",
        "Concentrated? Overtrading? Sitting on cash? The coach explains the idea at the moment it matters.",
    ),
    (
        "M5 4h14a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zM3 10h18M9 10v10",
        "See where you stand",
        "Holdings, average cost, profit and loss, allocation and every trade you ever made.",
    ),
];

#[component]
fn Features() -> impl IntoView {
    view! {
        <section id="features" class="section" aria-labelledby="features-title">
            <div class="container">
                <p class="eyebrow">"Features"</p>
                <h2 id="features-title">"Everything a first-time investor needs to practise"</h2>
                <ul class="feature-grid">
                    {FEATURES
                        .into_iter()
                        .map(|(icon, title, text)| view! {
                            <li class="card feature">
                                <span class="feature-icon" aria-hidden="true">
                                    <svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor"
                                        stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                                        <path d=icon />
                                    </svg>
                                </span>
                                <h3>{title}</h3>
                                <p>{text}</p>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </div>
        </section>
    }
}

const STEPS: [(&str, &str); 3] = [
    ("Open an account", "Sign up with email, Google or GitHub — or try it as a guest in one click."),
    ("Place practice trades", "Buy and sell whole shares at market prices; your cash and holdings update instantly."),
    (
        "Learn from every move",
        "Your coach turns what you did into short lessons about risk, diversification and patience.",
    ),
];

#[component]
fn HowItWorks() -> impl IntoView {
    view! {
        <section id="how-it-works" class="section alt" aria-labelledby="how-title">
            <div class="container">
                <p class="eyebrow">"How it works"</p>
                <h2 id="how-title">"Three steps from curious to confident"</h2>
                <ol class="steps">
                    {STEPS
                        .into_iter()
                        .map(|(title, text)| view! {
                            <li class="step">
                                <h3>{title}</h3>
                                <p>{text}</p>
                            </li>
                        })
                        .collect_view()}
                </ol>
            </div>
        </section>
    }
}
