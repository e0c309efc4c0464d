//! The educational coach: which explanations a moment in a learner's portfolio calls for.
//!
//! [`advise`] looks at the facts of one portfolio on one occasion (signing up, a trade, the
//! scheduled check) and returns the advice that is due, each with a key. A key is advised only
//! when it has not fired within its rule's cooldown ([`Rule::cooldown`], [`is_due`]); the server
//! records when each key fired (the `coach_marks` table) and passes those marks back in.
//!
//! Every message says what happened with concrete figures, explains the idea behind it, and
//! suggests what to consider — never which stock to buy or sell. See `docs/COACH.md`.

pub mod class_summary;
pub mod order_lessons;

use super::alert::AlertDirection;
use super::number::format_count;
use super::quote::Percent;
use super::Money;
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The coach's rules, in the order their advice is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Welcome,
    FirstTrade,
    Concentration,
    BigLoss,
    Milestone,
    IdleCash,
    Overtrading,
    PriceAlert,
    OrderTypes,
    FarFromClose,
}

/// When the coach looks at a portfolio.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Occasion {
    /// The account and its portfolio were just created.
    SignedUp,
    /// The learner just placed a trade.
    Traded,
    /// The periodic check the server runs for every portfolio.
    Scheduled,
}

impl Rule {
    pub const ALL: [Rule; 10] = [
        Rule::Welcome,
        Rule::FirstTrade,
        Rule::Concentration,
        Rule::BigLoss,
        Rule::Milestone,
        Rule::IdleCash,
        Rule::Overtrading,
        Rule::PriceAlert,
        Rule::OrderTypes,
        Rule::FarFromClose,
    ];

    /// The `notifications.trigger_type` of this rule's advice.
    pub fn trigger_type(self) -> &'static str {
        match self {
            Rule::Welcome => "welcome",
            Rule::FirstTrade => "first_trade",
            Rule::Concentration => "concentration",
            Rule::BigLoss => "big_loss",
            Rule::Milestone => "milestone",
            Rule::IdleCash => "idle_cash",
            Rule::Overtrading => "overtrading",
            Rule::PriceAlert => "price_alert",
            Rule::OrderTypes => "order_types",
            Rule::FarFromClose => "far_from_close",
        }
    }

    /// How long a key of this rule rests after it fired; `None` means it fires once ever.
    /// Price alerts have no rest (zero): each alert fires once, and the server retires it.
    pub fn cooldown(self) -> Option<Duration> {
        match self {
            Rule::Welcome | Rule::FirstTrade | Rule::OrderTypes => None,
            Rule::Concentration => Some(Duration::days(3)),
            Rule::BigLoss | Rule::IdleCash | Rule::FarFromClose => Some(Duration::days(7)),
            Rule::Milestone => Some(Duration::days(30)),
            // About once a trading day: short enough to fire again the next morning.
            Rule::Overtrading => Some(Duration::hours(20)),
            Rule::PriceAlert => Some(Duration::zero()),
        }
    }

    /// Whether [`advise`] evaluates this rule on `occasion`. Price alerts are evaluated by the
    /// server against quotes, and the order lessons ([`order_lessons`]) when an order is placed
    /// or executes — never here.
    pub fn evaluated_on(self, occasion: Occasion) -> bool {
        use Occasion::{Scheduled, SignedUp, Traded};
        match self {
            Rule::Welcome => occasion == SignedUp,
            Rule::FirstTrade | Rule::Overtrading => occasion == Traded,
            Rule::Concentration | Rule::BigLoss | Rule::Milestone => matches!(occasion, Traded | Scheduled),
            Rule::IdleCash => occasion == Scheduled,
            Rule::PriceAlert | Rule::OrderTypes | Rule::FarFromClose => false,
        }
    }
}

/// The thresholds of the rules that have one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoachSettings {
    /// A holding worth more than this share of the portfolio (cash included) is concentrated.
    pub concentration_percent: Decimal,
    /// A price this far below the average cost, or further, is a big loss.
    pub big_loss_percent: Decimal,
    /// Cash of at least this share of the portfolio is idle ...
    pub idle_cash_percent: Decimal,
    /// ... once the portfolio is this many days old and has not traded for as long.
    pub idle_days: i64,
    /// This many trades in one trading day, or more, is overtrading.
    pub overtrading_trades: i64,
    /// A market order this far from the previous close (percent), or further, gets the lesson
    /// about limit orders ([`order_lessons::far_from_close`]).
    pub far_from_close_percent: Decimal,
}

impl Default for CoachSettings {
    fn default() -> CoachSettings {
        CoachSettings {
            concentration_percent: Decimal::from(40),
            big_loss_percent: Decimal::from(10),
            idle_cash_percent: Decimal::from(90),
            idle_days: 3,
            overtrading_trades: 10,
            far_from_close_percent: Decimal::from(3),
        }
    }
}

/// A holding and its current price.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoldingFacts {
    pub symbol: String,
    pub name: String,
    pub shares: i64,
    pub average_price: Decimal,
    pub price: Money,
}

/// What the coach knows about one portfolio.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortfolioFacts {
    pub cash: Money,
    pub starting_cash: Money,
    pub holdings: Vec<HoldingFacts>,
    /// When this portfolio opened.
    pub opened_at: DateTime<Utc>,
    pub last_trade_at: Option<DateTime<Utc>>,
    /// Trades ever placed in this portfolio.
    pub trades_total: i64,
    /// Trades since the start of the current trading day (the server computes it).
    pub trades_today: i64,
}

/// One explanation for the learner. `key` identifies what it is about (`concentration:AAPL`) for
/// the cooldown; `link` is the page that shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advice {
    pub rule: Rule,
    pub key: String,
    pub title: String,
    pub message: String,
    pub link: String,
}

/// When each advice key last fired for this user.
pub type Marks = HashMap<String, DateTime<Utc>>;

pub const WELCOME_KEY: &str = "welcome";
pub const FIRST_TRADE_KEY: &str = "first_trade";
pub const IDLE_CASH_KEY: &str = "idle_cash";
pub const OVERTRADING_KEY: &str = "overtrading";
pub const PRICE_ALERT_KEY: &str = "price_alert";

/// Total-return milestones on the gain side, most extreme first (percent).
pub const MILESTONE_GAINS: [i64; 3] = [25, 10, 5];
/// The total-return milestone on the loss side (percent below the starting cash).
pub const MILESTONE_LOSS: i64 = 10;

pub fn concentration_key(symbol: &str) -> String {
    format!("concentration:{symbol}")
}

pub fn big_loss_key(symbol: &str) -> String {
    format!("big_loss:{symbol}")
}

/// `milestone:+10`, `milestone:-10`.
pub fn milestone_key(signed_percent: i64) -> String {
    format!("milestone:{signed_percent:+}")
}

/// Whether a key that last fired at `key_last_fired` may fire again at `now`: always if it never
/// fired, never again if it has no cooldown, otherwise once the cooldown has passed.
pub fn is_due(key_last_fired: Option<DateTime<Utc>>, cooldown: Option<Duration>, now: DateTime<Utc>) -> bool {
    match (key_last_fired, cooldown) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(fired), Some(rest)) => fired.checked_add_signed(rest).is_none_or(|again| now >= again),
    }
}

/// The advice due for a portfolio on `occasion`: rules in [`Rule::ALL`] order, holdings in the
/// order given, each key only when [`is_due`] for its rule's cooldown.
pub fn advise(
    occasion: Occasion,
    facts: &PortfolioFacts,
    marks: &Marks,
    settings: &CoachSettings,
    now: DateTime<Utc>,
) -> Vec<Advice> {
    let mut advice = Vec::new();
    for rule in Rule::ALL.into_iter().filter(|rule| rule.evaluated_on(occasion)) {
        let candidates = match rule {
            Rule::Welcome => vec![welcome(facts)],
            Rule::FirstTrade => first_trade(facts).into_iter().collect(),
            Rule::Concentration => concentration(facts, settings),
            Rule::BigLoss => big_losses(facts, settings),
            Rule::Milestone => milestone(facts).into_iter().filter(|a| !outshone(a, marks, now)).collect(),
            Rule::IdleCash => idle_cash(facts, settings, now).into_iter().collect(),
            Rule::Overtrading => overtrading(facts, settings).into_iter().collect(),
            Rule::PriceAlert | Rule::OrderTypes | Rule::FarFromClose => Vec::new(),
        };
        advice.extend(candidates.into_iter().filter(|a| is_due(marks.get(&a.key).copied(), rule.cooldown(), now)));
    }
    advice
}

/// Whether a gain milestone is old news: a higher one fired within the cooldown, so the portfolio
/// is falling back through this level rather than climbing to it.
fn outshone(advice: &Advice, marks: &Marks, now: DateTime<Utc>) -> bool {
    let Some(rank) = MILESTONE_GAINS.iter().position(|gain| milestone_key(*gain) == advice.key) else { return false };
    MILESTONE_GAINS[..rank]
        .iter()
        .any(|higher| !is_due(marks.get(&milestone_key(*higher)).copied(), Rule::Milestone.cooldown(), now))
}

/// The advice for a price alert that fired: `symbol` moved `direction` `threshold` and is at `price`.
pub fn price_alert(symbol: &str, name: &str, direction: AlertDirection, threshold: Money, price: Money) -> Advice {
    let moved = match direction {
        AlertDirection::Above => "rose above",
        AlertDirection::Below => "fell below",
    };
    let side = if price == threshold { "at" } else { direction.as_str() };
    Advice {
        rule: Rule::PriceAlert,
        key: PRICE_ALERT_KEY.to_owned(),
        title: format!("{symbol} {moved} {}", threshold.to_usd()),
        message: format!(
            "Your alert on {} fired: the price is now {}, {side} your {} mark. Alerts let you decide ahead of time \
             what a price means to you and act on that plan, instead of watching the screen all day. Take a moment \
             to check whether the reason you set it still holds before you decide anything.",
            label(symbol, name),
            price.to_usd(),
            threshold.to_usd(),
        ),
        link: stock_link(symbol),
    }
}

fn welcome(facts: &PortfolioFacts) -> Advice {
    Advice {
        rule: Rule::Welcome,
        key: WELCOME_KEY.to_owned(),
        title: "Welcome to Papertrade".to_owned(),
        message: format!(
            "You have {} of virtual cash to practice investing with, and no real money at risk. Start on the \
             Markets page: look up a company you know, study its chart and buy a few shares when you are ready. \
             As you trade, this coach will explain what is happening, from diversification to losses and \
             milestones, in plain words.",
            facts.starting_cash.to_usd()
        ),
        link: "/markets".to_owned(),
    }
}

fn first_trade(facts: &PortfolioFacts) -> Option<Advice> {
    (facts.trades_total >= 1).then(|| Advice {
        rule: Rule::FirstTrade,
        key: FIRST_TRADE_KEY.to_owned(),
        title: "Your first trade is done".to_owned(),
        message: format!(
            "You placed your first trade, and you now have {} in cash. It was a market order: it executed at once \
             at the price of that moment, called the fill price. For each stock you hold, your average cost is \
             what you paid per share on average, and comparing it with today's price gives your profit or loss. \
             Your Dashboard shows both, and History lists every trade.",
            facts.cash.to_usd()
        ),
        link: "/dashboard".to_owned(),
    })
}

fn concentration(facts: &PortfolioFacts, settings: &CoachSettings) -> Vec<Advice> {
    let total = total_value(facts);
    if total <= Decimal::ZERO {
        return Vec::new();
    }
    held(facts)
        .filter(|h| market_value(h) * Decimal::ONE_HUNDRED > settings.concentration_percent * total)
        .map(|h| {
            let weight = Percent::of(market_value(h), total);
            Advice {
                rule: Rule::Concentration,
                key: concentration_key(&h.symbol),
                title: format!("{} is {weight}% of your portfolio", h.symbol),
                message: format!(
                    "{} is worth {}, {weight}% of your {} portfolio, more than the {} the coach watches for. \
                     Diversification means spreading your money across several companies and sectors, so that one \
                     bad surprise cannot sink the whole portfolio. Consider how a 30% drop in this one stock would \
                     feel, and whether that risk fits your plan.",
                    label(&h.symbol, &h.name),
                    Money::from_decimal(market_value(h)).to_usd(),
                    Money::from_decimal(total).to_usd(),
                    plain_percent(settings.concentration_percent),
                ),
                link: stock_link(&h.symbol),
            }
        })
        .collect()
}

fn big_losses(facts: &PortfolioFacts, settings: &CoachSettings) -> Vec<Advice> {
    let kept = Decimal::ONE - settings.big_loss_percent / Decimal::ONE_HUNDRED;
    held(facts)
        .filter(|h| h.average_price > Decimal::ZERO && h.price.amount() < h.average_price * kept)
        .map(|h| {
            let drop = h.average_price - h.price.amount();
            Advice {
                rule: Rule::BigLoss,
                key: big_loss_key(&h.symbol),
                title: format!("{} is down {}% from your cost", h.symbol, Percent::of(drop, h.average_price)),
                message: format!(
                    "{} is at {}, {}% below your average cost of {}: an unrealized loss of {} on {}. It stays a \
                     paper loss until you sell, and selling turns it into a realized loss. Rather than selling in a \
                     panic, revisit why you bought it, and think about position sizing: deciding in advance how much \
                     of your portfolio one stock may take and at what price you would get out, the idea behind a \
                     stop-loss.",
                    label(&h.symbol, &h.name),
                    h.price.to_usd(),
                    Percent::of(drop, h.average_price),
                    Money::from_decimal(h.average_price).to_usd(),
                    Money::from_decimal(drop * Decimal::from(h.shares)).to_usd(),
                    shares(h.shares),
                ),
                link: stock_link(&h.symbol),
            }
        })
        .collect()
}

fn milestone(facts: &PortfolioFacts) -> Option<Advice> {
    let start = facts.starting_cash.amount();
    if start <= Decimal::ZERO {
        return None;
    }
    let total = total_value(facts);
    let change = total - start;
    // change / start × 100 compared with a threshold, without dividing.
    let reached = |percent: i64| change * Decimal::ONE_HUNDRED >= Decimal::from(percent) * start;
    let signed_percent = match MILESTONE_GAINS.into_iter().find(|gain| reached(*gain)) {
        Some(gain) => gain,
        None if change * Decimal::ONE_HUNDRED <= -Decimal::from(MILESTONE_LOSS) * start => -MILESTONE_LOSS,
        None => return None,
    };
    let worth = format!(
        "Your portfolio is worth {}, {} {}% ({}) from the {} you started with.",
        Money::from_decimal(total).to_usd(),
        if signed_percent > 0 { "up" } else { "down" },
        Percent::of(change.abs(), start),
        Money::from_decimal(change.abs()).to_usd(),
        facts.starting_cash.to_usd(),
    );
    let (title, message) = if signed_percent > 0 {
        (
            format!("Your portfolio is up {signed_percent}% or more"),
            format!(
                "{worth} Gains compound: returns earned on earlier returns make the total grow faster over time, \
                 and the amount you could lose grows with it. Consider whether your holdings still carry only the \
                 risk you meant to take, now that there is more at stake."
            ),
        )
    } else {
        let from_here = if total > Decimal::ZERO {
            format!(", and from here you need {}% to get back to where you started", Percent::of(-change, total))
        } else {
            String::new()
        };
        (
            format!("Your portfolio is down {MILESTONE_LOSS}% or more"),
            format!(
                "{worth} A fall like this is called a drawdown, and climbing back takes a bigger gain than the \
                 fall: a 10% loss needs an 11.1% gain{from_here}. Consider sizing positions so that one bad \
                 stretch cannot knock you out, rather than taking bigger risks to win it back quickly."
            ),
        )
    };
    Some(Advice {
        rule: Rule::Milestone,
        key: milestone_key(signed_percent),
        title,
        message,
        link: "/dashboard".to_owned(),
    })
}

fn idle_cash(facts: &PortfolioFacts, settings: &CoachSettings, now: DateTime<Utc>) -> Option<Advice> {
    let total = total_value(facts);
    let idle = Duration::days(settings.idle_days);
    let mostly_cash =
        total > Decimal::ZERO && facts.cash.amount() * Decimal::ONE_HUNDRED >= settings.idle_cash_percent * total;
    let old_enough = now - facts.opened_at >= idle;
    let quiet = facts.last_trade_at.is_none_or(|last| now - last >= idle);
    if !(mostly_cash && old_enough && quiet) {
        return None;
    }
    let since = match facts.last_trade_at {
        Some(last) => format!("you have not traded for {}", days((now - last).num_days())),
        None => format!(
            "you have not placed a trade since your portfolio opened {} ago",
            days((now - facts.opened_at).num_days())
        ),
    };
    Some(Advice {
        rule: Rule::IdleCash,
        key: IDLE_CASH_KEY.to_owned(),
        title: "Most of your portfolio is sitting in cash".to_owned(),
        message: format!(
            "Cash makes up {}% of your portfolio ({}), and {since}. In the real world, idle cash loses buying power to \
             inflation and misses what it could have earned, its opportunity cost. Many investors use dollar-cost \
             averaging, investing a fixed amount at regular intervals instead of waiting for the perfect moment. \
             Holding cash is a valid choice too, as long as it is a deliberate one.",
            Percent::of(facts.cash.amount(), total),
            facts.cash.to_usd(),
        ),
        link: "/markets".to_owned(),
    })
}

fn overtrading(facts: &PortfolioFacts, settings: &CoachSettings) -> Option<Advice> {
    (facts.trades_today >= settings.overtrading_trades).then(|| Advice {
        rule: Rule::Overtrading,
        key: OVERTRADING_KEY.to_owned(),
        title: format!("You have placed {} trades today", format_count(facts.trades_today)),
        message: format!(
            "You have placed {} trades today. Trades are free here, but in real markets each one can cost a \
             commission, the bid–ask spread and tax on short-term gains, and those costs quietly eat into returns. \
             Before your next order, consider writing down why you are placing it and what would change your mind: \
             trading on a plan beats reacting to every move.",
            format_count(facts.trades_today)
        ),
        link: "/history".to_owned(),
    })
}

/// Holdings with shares, in the order given.
fn held(facts: &PortfolioFacts) -> impl Iterator<Item = &HoldingFacts> {
    facts.holdings.iter().filter(|h| h.shares > 0)
}

fn market_value(holding: &HoldingFacts) -> Decimal {
    holding.price.amount() * Decimal::from(holding.shares)
}

/// Cash plus every holding at its price.
fn total_value(facts: &PortfolioFacts) -> Decimal {
    facts.cash.amount() + held(facts).map(market_value).sum::<Decimal>()
}

/// `Apple Inc. (AAPL)`, or just `AAPL` when the name adds nothing.
pub(crate) fn label(symbol: &str, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() || name.eq_ignore_ascii_case(symbol) {
        symbol.to_owned()
    } else {
        format!("{name} ({symbol})")
    }
}

pub(crate) fn stock_link(symbol: &str) -> String {
    format!("/stocks/{symbol}")
}

/// A configured percentage as people write it: `40%`, `12.5%`.
fn plain_percent(percent: Decimal) -> String {
    format!("{}%", percent.normalize())
}

pub(crate) fn shares(count: i64) -> String {
    match count {
        1 => "1 share".to_owned(),
        n => format!("{} shares", format_count(n)),
    }
}

fn days(count: i64) -> String {
    match count {
        1 => "1 day".to_owned(),
        n => format!("{} days", format_count(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).unwrap()
    }

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn holding(symbol: &str, shares: i64, average_price: Decimal, price: &str) -> HoldingFacts {
        HoldingFacts {
            symbol: symbol.into(),
            name: format!("{symbol} Corp"),
            shares,
            average_price,
            price: money(price),
        }
    }

    /// A month-old portfolio, all $10,000 in cash, one trade an hour ago.
    fn portfolio() -> PortfolioFacts {
        PortfolioFacts {
            cash: money("10000"),
            starting_cash: money("10000"),
            holdings: Vec::new(),
            opened_at: now() - Duration::days(30),
            last_trade_at: Some(now() - Duration::hours(1)),
            trades_total: 1,
            trades_today: 1,
        }
    }

    /// A portfolio worth exactly $10,000: `cash` plus one share of each holding at its price.
    fn worth_10000(holdings: &[(&str, &str)], cash: &str) -> PortfolioFacts {
        PortfolioFacts {
            cash: money(cash),
            holdings: holdings.iter().map(|(symbol, price)| holding(symbol, 1, money(price).amount(), price)).collect(),
            ..portfolio()
        }
    }

    fn advice(occasion: Occasion, facts: &PortfolioFacts, marks: &Marks) -> Vec<Advice> {
        advise(occasion, facts, marks, &CoachSettings::default(), now())
    }

    fn keys(occasion: Occasion, facts: &PortfolioFacts, marks: &Marks) -> Vec<String> {
        advice(occasion, facts, marks).into_iter().map(|a| a.key).collect()
    }

    fn keys_of(rule: Rule, occasion: Occasion, facts: &PortfolioFacts, marks: &Marks) -> Vec<String> {
        advice(occasion, facts, marks).into_iter().filter(|a| a.rule == rule).map(|a| a.key).collect()
    }

    fn fired(key: &str, ago: Duration) -> Marks {
        Marks::from([(key.to_owned(), now() - ago)])
    }

    fn no_marks() -> Marks {
        Marks::new()
    }

    /// Sentences end with `.`, `!` or `?` before a capital letter or at the end; `$1.50`,
    /// `11.1%` and `BRK.B` do not end one.
    fn sentences(text: &str) -> usize {
        let chars: Vec<char> = text.chars().collect();
        let inner = chars.windows(3).filter(|w| matches!(w[0], '.' | '!' | '?') && w[1] == ' ' && w[2].is_uppercase());
        inner.count() + usize::from(text.ends_with(['.', '!', '?']))
    }

    // Cooldowns and keys.

    #[test]
    fn a_key_that_never_fired_is_due() {
        assert!(is_due(None, None, now()));
        assert!(is_due(None, Some(Duration::days(3)), now()));
    }

    #[test]
    fn a_once_ever_key_is_never_due_again() {
        assert!(!is_due(Some(now() - Duration::days(10_000)), None, now()));
    }

    #[test]
    fn a_key_is_due_again_once_its_cooldown_has_passed() {
        let cooldown = Some(Duration::days(3));
        assert!(!is_due(Some(now() - Duration::days(3) + Duration::seconds(1)), cooldown, now()));
        assert!(is_due(Some(now() - Duration::days(3)), cooldown, now()));
    }

    #[test]
    fn each_rule_has_its_trigger_type_and_cooldown() {
        let types: Vec<&str> = Rule::ALL.iter().map(|rule| rule.trigger_type()).collect();
        assert_eq!(
            types,
            [
                "welcome",
                "first_trade",
                "concentration",
                "big_loss",
                "milestone",
                "idle_cash",
                "overtrading",
                "price_alert",
                "order_types",
                "far_from_close"
            ]
        );
        assert_eq!(Rule::OrderTypes.cooldown(), None);
        assert_eq!(Rule::FarFromClose.cooldown(), Some(Duration::days(7)));
        assert_eq!(Rule::Welcome.cooldown(), None);
        assert_eq!(Rule::FirstTrade.cooldown(), None);
        assert_eq!(Rule::Concentration.cooldown(), Some(Duration::days(3)));
        assert_eq!(Rule::BigLoss.cooldown(), Some(Duration::days(7)));
        assert_eq!(Rule::Milestone.cooldown(), Some(Duration::days(30)));
        assert_eq!(Rule::IdleCash.cooldown(), Some(Duration::days(7)));
        assert_eq!(Rule::Overtrading.cooldown(), Some(Duration::hours(20)));
    }

    #[test]
    fn a_rule_serializes_as_its_trigger_type() {
        for rule in Rule::ALL {
            assert_eq!(serde_json::to_string(&rule).unwrap(), format!("\"{}\"", rule.trigger_type()));
        }
    }

    #[test]
    fn milestone_keys_carry_their_sign() {
        assert_eq!((milestone_key(10), milestone_key(-10)), ("milestone:+10".to_owned(), "milestone:-10".to_owned()));
    }

    // Welcome.

    #[test]
    fn a_new_learner_is_welcomed_on_sign_up() {
        let welcome = advice(Occasion::SignedUp, &portfolio(), &no_marks());
        assert_eq!(welcome.len(), 1);
        assert_eq!((welcome[0].key.as_str(), welcome[0].link.as_str()), ("welcome", "/markets"));
        assert!(welcome[0].message.contains("$10,000.00 of virtual cash"));
    }

    #[test]
    fn the_welcome_is_given_only_on_sign_up() {
        assert!(keys_of(Rule::Welcome, Occasion::Traded, &portfolio(), &no_marks()).is_empty());
        assert!(keys_of(Rule::Welcome, Occasion::Scheduled, &portfolio(), &no_marks()).is_empty());
    }

    #[test]
    fn the_welcome_is_given_once_ever() {
        assert!(keys(Occasion::SignedUp, &portfolio(), &fired("welcome", Duration::days(400))).is_empty());
    }

    // First trade.

    #[test]
    fn the_first_trade_is_explained_after_it() {
        let advice = advice(Occasion::Traded, &portfolio(), &no_marks());
        let first = advice.iter().find(|a| a.rule == Rule::FirstTrade).expect("first trade advice");
        assert_eq!((first.key.as_str(), first.link.as_str()), ("first_trade", "/dashboard"));
        assert!(first.message.contains("market order") && first.message.contains("average cost"));
    }

    #[test]
    fn the_first_trade_is_not_explained_before_any_trade() {
        let facts = PortfolioFacts { trades_total: 0, last_trade_at: None, ..portfolio() };
        assert!(keys_of(Rule::FirstTrade, Occasion::Traded, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn the_first_trade_is_explained_only_after_a_trade() {
        assert!(keys_of(Rule::FirstTrade, Occasion::Scheduled, &portfolio(), &no_marks()).is_empty());
        assert!(keys_of(Rule::FirstTrade, Occasion::SignedUp, &portfolio(), &no_marks()).is_empty());
    }

    #[test]
    fn the_first_trade_is_explained_once_ever() {
        let facts = PortfolioFacts { trades_total: 2, ..portfolio() };
        let marks = fired("first_trade", Duration::days(400));
        assert!(keys_of(Rule::FirstTrade, Occasion::Traded, &facts, &marks).is_empty());
    }

    // Concentration.

    #[test]
    fn a_holding_above_forty_percent_of_the_portfolio_is_concentrated() {
        let facts = worth_10000(&[("AAPL", "4000.01")], "5999.99");
        let advice = advice(Occasion::Traded, &facts, &no_marks());
        let concentrated = advice.iter().find(|a| a.rule == Rule::Concentration).expect("concentration advice");
        assert_eq!((concentrated.key.as_str(), concentrated.link.as_str()), ("concentration:AAPL", "/stocks/AAPL"));
    }

    #[test]
    fn a_holding_at_exactly_forty_percent_is_not_concentrated() {
        let facts = worth_10000(&[("AAPL", "4000.00")], "6000.00");
        assert!(keys_of(Rule::Concentration, Occasion::Traded, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn concentration_names_the_holding_and_its_share() {
        let facts = worth_10000(&[("AAPL", "6235.00")], "3765.00");
        let advice = advice(Occasion::Scheduled, &facts, &no_marks());
        let concentrated = advice.iter().find(|a| a.rule == Rule::Concentration).unwrap();
        assert_eq!(concentrated.title, "AAPL is 62.35% of your portfolio");
        assert!(concentrated.message.starts_with(
            "AAPL Corp (AAPL) is worth $6,235.00, 62.35% of your $10,000.00 portfolio, more than the 40%"
        ));
    }

    #[test]
    fn concentration_is_checked_after_trades_and_on_schedule_but_not_on_sign_up() {
        let facts = worth_10000(&[("AAPL", "5000")], "5000");
        assert_eq!(keys_of(Rule::Concentration, Occasion::Traded, &facts, &no_marks()), ["concentration:AAPL"]);
        assert_eq!(keys_of(Rule::Concentration, Occasion::Scheduled, &facts, &no_marks()), ["concentration:AAPL"]);
        assert!(keys_of(Rule::Concentration, Occasion::SignedUp, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn concentration_rests_three_days_per_holding() {
        let facts = worth_10000(&[("AAPL", "5000"), ("MSFT", "4500")], "500");
        let recently = fired("concentration:AAPL", Duration::days(3) - Duration::seconds(1));
        assert_eq!(keys_of(Rule::Concentration, Occasion::Traded, &facts, &recently), ["concentration:MSFT"]);
        let long_ago = fired("concentration:AAPL", Duration::days(3));
        assert_eq!(
            keys_of(Rule::Concentration, Occasion::Traded, &facts, &long_ago),
            ["concentration:AAPL", "concentration:MSFT"]
        );
    }

    #[test]
    fn concentration_follows_the_configured_percent() {
        let facts = worth_10000(&[("AAPL", "3000")], "7000");
        let settings = CoachSettings { concentration_percent: dec!(25), ..CoachSettings::default() };
        let advice = advise(Occasion::Traded, &facts, &no_marks(), &settings, now());
        let concentrated = advice.iter().find(|a| a.rule == Rule::Concentration).expect("concentration advice");
        assert!(concentrated.message.contains("more than the 25% the coach watches for"));
    }

    #[test]
    fn a_portfolio_worth_nothing_is_never_concentrated() {
        let facts =
            PortfolioFacts { cash: Money::ZERO, holdings: vec![holding("AAPL", 3, dec!(10), "0")], ..portfolio() };
        assert!(keys_of(Rule::Concentration, Occasion::Traded, &facts, &no_marks()).is_empty());
    }

    // Big loss.

    #[test]
    fn a_price_more_than_ten_percent_below_the_average_cost_is_a_big_loss() {
        let facts = PortfolioFacts { holdings: vec![holding("AAPL", 20, dec!(100), "89.99")], ..portfolio() };
        let advice = advice(Occasion::Traded, &facts, &no_marks());
        let loss = advice.iter().find(|a| a.rule == Rule::BigLoss).expect("big loss advice");
        assert_eq!((loss.key.as_str(), loss.link.as_str()), ("big_loss:AAPL", "/stocks/AAPL"));
        assert_eq!(loss.title, "AAPL is down 10.01% from your cost");
        assert!(loss.message.starts_with(
            "AAPL Corp (AAPL) is at $89.99, 10.01% below your average cost of $100.00: an unrealized loss of $200.20 \
             on 20 shares."
        ));
    }

    #[test]
    fn a_price_exactly_ten_percent_below_the_average_cost_is_not_yet_a_big_loss() {
        let facts = PortfolioFacts { holdings: vec![holding("AAPL", 20, dec!(100), "90.00")], ..portfolio() };
        assert!(keys_of(Rule::BigLoss, Occasion::Traded, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn big_losses_are_checked_after_trades_and_on_schedule_but_not_on_sign_up() {
        let facts = PortfolioFacts { holdings: vec![holding("AAPL", 1, dec!(100), "50")], ..portfolio() };
        assert_eq!(keys_of(Rule::BigLoss, Occasion::Traded, &facts, &no_marks()), ["big_loss:AAPL"]);
        assert_eq!(keys_of(Rule::BigLoss, Occasion::Scheduled, &facts, &no_marks()), ["big_loss:AAPL"]);
        assert!(keys_of(Rule::BigLoss, Occasion::SignedUp, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn a_big_loss_rests_seven_days() {
        let facts = PortfolioFacts { holdings: vec![holding("AAPL", 1, dec!(100), "50")], ..portfolio() };
        let recently = fired("big_loss:AAPL", Duration::days(7) - Duration::seconds(1));
        assert!(keys_of(Rule::BigLoss, Occasion::Scheduled, &facts, &recently).is_empty());
        let long_ago = fired("big_loss:AAPL", Duration::days(7));
        assert_eq!(keys_of(Rule::BigLoss, Occasion::Scheduled, &facts, &long_ago), ["big_loss:AAPL"]);
    }

    // Milestones.

    #[test]
    fn a_five_percent_gain_is_a_milestone() {
        let facts = PortfolioFacts { cash: money("10500"), ..portfolio() };
        let advice = advice(Occasion::Scheduled, &facts, &no_marks());
        let milestone = advice.iter().find(|a| a.rule == Rule::Milestone).expect("milestone advice");
        assert_eq!((milestone.key.as_str(), milestone.link.as_str()), ("milestone:+5", "/dashboard"));
        assert!(milestone
            .message
            .starts_with("Your portfolio is worth $10,500.00, up 5.00% ($500.00) from the $10,000.00"));
    }

    #[test]
    fn a_gain_just_under_five_percent_is_no_milestone() {
        let facts = PortfolioFacts { cash: money("10499.99"), ..portfolio() };
        assert!(keys_of(Rule::Milestone, Occasion::Scheduled, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn only_the_highest_milestone_reached_is_given() {
        let at = |cash: &str| {
            keys_of(
                Rule::Milestone,
                Occasion::Traded,
                &PortfolioFacts { cash: money(cash), ..portfolio() },
                &no_marks(),
            )
        };
        assert_eq!(at("11200"), ["milestone:+10"]);
        assert_eq!(at("11000"), ["milestone:+10"]);
        assert_eq!(at("12499.99"), ["milestone:+10"]);
        assert_eq!(at("12500"), ["milestone:+25"]);
        assert_eq!(at("30000"), ["milestone:+25"]);
    }

    #[test]
    fn a_lower_milestone_does_not_stand_in_for_one_resting() {
        let facts = PortfolioFacts { cash: money("11200"), ..portfolio() };
        let marks = fired("milestone:+10", Duration::days(1));
        assert!(keys_of(Rule::Milestone, Occasion::Scheduled, &facts, &marks).is_empty());
    }

    #[test]
    fn falling_back_through_a_lower_milestone_is_no_news() {
        let facts = PortfolioFacts { cash: money("10700"), ..portfolio() };
        let after_the_peak = fired("milestone:+25", Duration::days(5));
        assert!(keys_of(Rule::Milestone, Occasion::Scheduled, &facts, &after_the_peak).is_empty());
        let long_ago = fired("milestone:+25", Duration::days(31));
        assert_eq!(keys_of(Rule::Milestone, Occasion::Scheduled, &facts, &long_ago), ["milestone:+5"]);
    }

    #[test]
    fn a_loss_milestone_is_news_even_after_a_gain_one() {
        let facts = PortfolioFacts { cash: money("8900"), ..portfolio() };
        let marks = fired("milestone:+5", Duration::days(2));
        assert_eq!(keys_of(Rule::Milestone, Occasion::Scheduled, &facts, &marks), ["milestone:-10"]);
    }

    #[test]
    fn a_ten_percent_loss_is_a_milestone_with_its_recovery_math() {
        let facts =
            PortfolioFacts { holdings: vec![holding("AAPL", 10, dec!(100), "90")], cash: money("8100"), ..portfolio() };
        let advice = advice(Occasion::Scheduled, &facts, &no_marks());
        let milestone = advice.iter().find(|a| a.rule == Rule::Milestone).expect("milestone advice");
        assert_eq!(milestone.key, "milestone:-10");
        assert_eq!(milestone.title, "Your portfolio is down 10% or more");
        assert!(milestone.message.contains("down 10.00% ($1,000.00)"));
        assert!(milestone.message.contains("a 10% loss needs an 11.1% gain, and from here you need 11.11%"));
    }

    #[test]
    fn a_loss_just_under_ten_percent_is_no_milestone() {
        let facts = PortfolioFacts { cash: money("9000.01"), ..portfolio() };
        assert!(keys_of(Rule::Milestone, Occasion::Scheduled, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn milestones_are_checked_after_trades_and_on_schedule_but_not_on_sign_up() {
        let facts = PortfolioFacts { cash: money("11000"), ..portfolio() };
        assert_eq!(keys_of(Rule::Milestone, Occasion::Traded, &facts, &no_marks()), ["milestone:+10"]);
        assert_eq!(keys_of(Rule::Milestone, Occasion::Scheduled, &facts, &no_marks()), ["milestone:+10"]);
        assert!(keys_of(Rule::Milestone, Occasion::SignedUp, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn a_milestone_rests_thirty_days() {
        let facts = PortfolioFacts { cash: money("8000"), ..portfolio() };
        let recently = fired("milestone:-10", Duration::days(30) - Duration::seconds(1));
        assert!(keys_of(Rule::Milestone, Occasion::Scheduled, &facts, &recently).is_empty());
        let long_ago = fired("milestone:-10", Duration::days(30));
        assert_eq!(keys_of(Rule::Milestone, Occasion::Scheduled, &facts, &long_ago), ["milestone:-10"]);
    }

    // Idle cash.

    /// Opened 3 days ago, never traded, 90% in cash: idle by every measure, just.
    fn idle_portfolio() -> PortfolioFacts {
        PortfolioFacts {
            opened_at: now() - Duration::days(3),
            last_trade_at: None,
            trades_total: 0,
            trades_today: 0,
            ..worth_10000(&[("AAPL", "1000")], "9000")
        }
    }

    #[test]
    fn cash_left_idle_for_three_days_is_pointed_out_on_schedule() {
        let advice = advice(Occasion::Scheduled, &idle_portfolio(), &no_marks());
        let idle = advice.iter().find(|a| a.rule == Rule::IdleCash).expect("idle cash advice");
        assert_eq!((idle.key.as_str(), idle.link.as_str()), ("idle_cash", "/markets"));
        assert!(idle.message.starts_with(
            "Cash makes up 90.00% of your portfolio ($9,000.00), and you have not placed a trade since your \
             portfolio opened 3 days ago."
        ));
    }

    #[test]
    fn cash_idle_since_the_last_trade_three_days_ago_is_pointed_out() {
        let facts = PortfolioFacts {
            opened_at: now() - Duration::days(40),
            last_trade_at: Some(now() - Duration::days(3)),
            ..idle_portfolio()
        };
        let advice = advice(Occasion::Scheduled, &facts, &no_marks());
        let idle = advice.iter().find(|a| a.rule == Rule::IdleCash).expect("idle cash advice");
        assert!(idle.message.contains("and you have not traded for 3 days."));
    }

    #[test]
    fn cash_just_under_ninety_percent_is_not_idle() {
        let facts = PortfolioFacts {
            opened_at: now() - Duration::days(3),
            last_trade_at: None,
            ..worth_10000(&[("AAPL", "1000.01")], "8999.99")
        };
        assert!(keys_of(Rule::IdleCash, Occasion::Scheduled, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn a_portfolio_younger_than_three_days_is_not_idle() {
        let facts = PortfolioFacts { opened_at: now() - Duration::days(3) + Duration::seconds(1), ..idle_portfolio() };
        assert!(keys_of(Rule::IdleCash, Occasion::Scheduled, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn a_trade_within_three_days_means_cash_is_not_idle() {
        let last_trade_at = Some(now() - Duration::days(3) + Duration::seconds(1));
        let facts = PortfolioFacts { opened_at: now() - Duration::days(40), last_trade_at, ..idle_portfolio() };
        assert!(keys_of(Rule::IdleCash, Occasion::Scheduled, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn idle_cash_is_pointed_out_only_on_schedule() {
        assert!(keys_of(Rule::IdleCash, Occasion::Traded, &idle_portfolio(), &no_marks()).is_empty());
        assert!(keys_of(Rule::IdleCash, Occasion::SignedUp, &idle_portfolio(), &no_marks()).is_empty());
    }

    #[test]
    fn idle_cash_rests_seven_days() {
        let recently = fired("idle_cash", Duration::days(7) - Duration::seconds(1));
        assert!(keys_of(Rule::IdleCash, Occasion::Scheduled, &idle_portfolio(), &recently).is_empty());
        let long_ago = fired("idle_cash", Duration::days(7));
        assert_eq!(keys_of(Rule::IdleCash, Occasion::Scheduled, &idle_portfolio(), &long_ago), ["idle_cash"]);
    }

    // Overtrading.

    #[test]
    fn ten_trades_in_a_day_is_overtrading() {
        let facts = PortfolioFacts { trades_today: 10, trades_total: 10, ..portfolio() };
        let advice = advice(Occasion::Traded, &facts, &no_marks());
        let busy = advice.iter().find(|a| a.rule == Rule::Overtrading).expect("overtrading advice");
        assert_eq!((busy.key.as_str(), busy.link.as_str()), ("overtrading", "/history"));
        assert_eq!(busy.title, "You have placed 10 trades today");
    }

    #[test]
    fn nine_trades_in_a_day_is_not_overtrading() {
        let facts = PortfolioFacts { trades_today: 9, trades_total: 9, ..portfolio() };
        assert!(keys_of(Rule::Overtrading, Occasion::Traded, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn overtrading_is_pointed_out_only_after_a_trade() {
        let facts = PortfolioFacts { trades_today: 25, trades_total: 25, ..portfolio() };
        assert!(keys_of(Rule::Overtrading, Occasion::Scheduled, &facts, &no_marks()).is_empty());
        assert!(keys_of(Rule::Overtrading, Occasion::SignedUp, &facts, &no_marks()).is_empty());
    }

    #[test]
    fn overtrading_rests_twenty_hours() {
        let facts = PortfolioFacts { trades_today: 12, trades_total: 40, ..portfolio() };
        let recently = fired("overtrading", Duration::hours(20) - Duration::seconds(1));
        assert!(keys_of(Rule::Overtrading, Occasion::Traded, &facts, &recently).is_empty());
        let yesterday = fired("overtrading", Duration::hours(20));
        assert_eq!(keys_of(Rule::Overtrading, Occasion::Traded, &facts, &yesterday), ["overtrading"]);
    }

    // Price alerts.

    #[test]
    fn a_price_alert_says_which_way_the_price_crossed() {
        let rose = price_alert("AAPL", "Apple", AlertDirection::Above, money("200"), money("201.50"));
        assert_eq!(
            (rose.title.as_str(), rose.key.as_str(), rose.link.as_str()),
            ("AAPL rose above $200.00", "price_alert", "/stocks/AAPL")
        );
        assert!(rose
            .message
            .starts_with("Your alert on Apple (AAPL) fired: the price is now $201.50, above your $200.00 mark."));
        let fell = price_alert("AAPL", "Apple", AlertDirection::Below, money("150"), money("150"));
        assert_eq!(fell.title, "AAPL fell below $150.00");
        assert!(fell.message.contains("the price is now $150.00, at your $150.00 mark."));
    }

    #[test]
    fn price_alerts_are_never_given_by_advise() {
        for occasion in [Occasion::SignedUp, Occasion::Traded, Occasion::Scheduled] {
            assert!(keys_of(Rule::PriceAlert, occasion, &portfolio(), &no_marks()).is_empty());
        }
    }

    // All rules together.

    #[test]
    fn advice_comes_in_rule_order_with_holdings_in_the_order_given() {
        let facts = PortfolioFacts {
            cash: money("500"),
            holdings: vec![holding("BBB", 1, dec!(6000), "4500"), holding("AAA", 1, dec!(5000), "4000")],
            starting_cash: money("10000"),
            trades_today: 10,
            ..portfolio()
        };
        assert_eq!(
            keys(Occasion::Traded, &facts, &no_marks()),
            [
                "first_trade",
                "concentration:BBB",
                "concentration:AAA",
                "big_loss:BBB",
                "big_loss:AAA",
                "milestone:-10",
                "overtrading"
            ]
        );
    }

    /// Every rule at once, with the longest symbols, long names and large amounts.
    fn every_advice() -> Vec<Advice> {
        let long_name = "The Extraordinarily Long-Named Holding Company of America Inc.";
        let big = |symbol: &str, price: &str, average: Decimal| HoldingFacts {
            symbol: symbol.into(),
            name: long_name.into(),
            shares: 1_000_000,
            average_price: average,
            price: money(price),
        };
        let losing = PortfolioFacts {
            cash: money("123456.78"),
            starting_cash: Money::from_cents(200_000_000_000_000),
            holdings: vec![big("ABCDEFGHIJ", "999999.99", dec!(1000000)), big("BRK.B", "1.00", dec!(999999.12345678))],
            opened_at: now() - Duration::days(400),
            last_trade_at: Some(now() - Duration::days(300)),
            trades_total: 123_456,
            trades_today: 12_345,
        };
        let winning = PortfolioFacts { starting_cash: money("1000"), ..losing.clone() };
        let idle = PortfolioFacts { holdings: Vec::new(), last_trade_at: None, ..losing.clone() };
        let mut all = advice(Occasion::SignedUp, &losing, &no_marks());
        all.extend(advice(Occasion::Traded, &losing, &no_marks()));
        all.extend(advice(Occasion::Traded, &winning, &no_marks()).into_iter().filter(|a| a.rule == Rule::Milestone));
        all.extend(advice(Occasion::Scheduled, &idle, &no_marks()));
        for direction in [AlertDirection::Above, AlertDirection::Below] {
            all.push(price_alert("ABCDEFGHIJ", long_name, direction, money("1000000"), money("999999.99")));
        }
        all.extend(order_lessons::tests::every_lesson());
        all
    }

    #[test]
    fn every_rule_has_advice_to_give() {
        let all = every_advice();
        for rule in Rule::ALL {
            assert!(all.iter().any(|a| a.rule == rule), "no advice for {rule:?}");
        }
        assert!(all.iter().any(|a| a.key == "milestone:+25") && all.iter().any(|a| a.key == "milestone:-10"));
    }

    #[test]
    fn every_message_is_two_to_four_sentences_and_fits_its_columns() {
        for advice in every_advice() {
            let count = sentences(&advice.message);
            assert!((2..=4).contains(&count), "{} has {count} sentences: {}", advice.key, advice.message);
            assert!(advice.message.chars().count() < 600, "{} is too long: {}", advice.key, advice.message);
            assert!(advice.title.chars().count() < 60, "{} has a long title: {}", advice.key, advice.title);
            assert!(advice.key.starts_with(advice.rule.trigger_type()));
            assert!(advice.link.starts_with('/'));
        }
    }

    #[test]
    fn no_message_tells_the_learner_to_buy_or_sell_a_stock() {
        for advice in every_advice() {
            let text = advice.message.to_lowercase();
            for phrase in ["you should buy", "you should sell", "buy more", "sell it", "sell now", "buy now"] {
                assert!(!text.contains(phrase), "{}: {}", advice.key, advice.message);
            }
        }
    }

    #[test]
    fn the_sentence_counter_ignores_decimal_points_and_tickers() {
        assert_eq!(sentences("It is $1.50 and BRK.B rose 11.1% today. Next one."), 2);
    }
}
