//! The class summary of a game, for its teacher: how many players show each pattern the coach
//! teaches about — a concentrated holding, overtrading, sitting in cash, a position down more
//! than the big-loss share — and who has not traded yet. The same rules and thresholds as the
//! coach's notes to each player ([`super::advise`]), without their cooldowns: the summary is
//! about now, not about what was said.

use super::{big_losses, concentration, overtrading, total_value, CoachSettings, PortfolioFacts};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What the coach sees in one player's portfolio now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patterns {
    pub concentrated: bool,
    pub overtrading: bool,
    /// Cash is at least the idle-cash share of the portfolio (the coach's note waits some days
    /// more; a teacher wants to know on the first).
    pub sitting_in_cash: bool,
    pub big_loss: bool,
    pub not_traded: bool,
}

impl Patterns {
    pub fn of(facts: &PortfolioFacts, settings: &CoachSettings) -> Patterns {
        let total = total_value(facts);
        Patterns {
            concentrated: !concentration(facts, settings).is_empty(),
            overtrading: overtrading(facts, settings).is_some(),
            sitting_in_cash: total > Decimal::ZERO
                && facts.cash.amount() * Decimal::ONE_HUNDRED >= settings.idle_cash_percent * total,
            big_loss: !big_losses(facts, settings).is_empty(),
            not_traded: facts.trades_total == 0,
        }
    }

    /// The patterns in words, for the teacher's table.
    pub fn labels(self) -> Vec<&'static str> {
        [
            (self.concentrated, "concentrated"),
            (self.overtrading, "overtrading"),
            (self.sitting_in_cash, "sitting in cash"),
            (self.big_loss, "big loss on a position"),
            (self.not_traded, "not traded yet"),
        ]
        .into_iter()
        .filter_map(|(shown, label)| shown.then_some(label))
        .collect()
    }
}

/// How many of a game's players show each pattern.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSummary {
    pub players: usize,
    pub concentrated: usize,
    pub overtrading: usize,
    pub sitting_in_cash: usize,
    pub big_loss: usize,
    pub not_traded: usize,
}

impl ClassSummary {
    pub fn of(patterns: &[Patterns]) -> ClassSummary {
        let count = |pick: fn(&Patterns) -> bool| patterns.iter().filter(|p| pick(p)).count();
        ClassSummary {
            players: patterns.len(),
            concentrated: count(|p| p.concentrated),
            overtrading: count(|p| p.overtrading),
            sitting_in_cash: count(|p| p.sitting_in_cash),
            big_loss: count(|p| p.big_loss),
            not_traded: count(|p| p.not_traded),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::coach::HoldingFacts;
    use crate::domain::test_support::money;
    use chrono::{TimeZone, Utc};
    use rust_decimal_macros::dec;

    fn player(cash: &str, holdings: Vec<HoldingFacts>, trades_today: i64, trades_total: i64) -> PortfolioFacts {
        PortfolioFacts {
            cash: money(cash),
            starting_cash: money("10000"),
            holdings,
            opened_at: Utc.with_ymd_and_hms(2026, 12, 1, 14, 30, 0).unwrap(),
            last_trade_at: None,
            trades_total,
            trades_today,
        }
    }

    fn holding(symbol: &str, shares: i64, average: Decimal, price: &str) -> HoldingFacts {
        HoldingFacts {
            symbol: symbol.into(),
            name: format!("{symbol} Corp"),
            shares,
            average_price: average,
            price: money(price),
        }
    }

    #[test]
    fn each_pattern_uses_the_coachs_threshold() {
        let settings = CoachSettings::default();
        // $4,499.50 of $9,999.50 in one stock: above the 40% line, bought at $100, now more than 10% down.
        let concentrated = player("5500", vec![holding("AAPL", 50, dec!(100), "89.99")], 1, 1);
        let patterns = Patterns::of(&concentrated, &settings);
        assert!(patterns.concentrated && patterns.big_loss && !patterns.sitting_in_cash && !patterns.not_traded);
        // Exactly 40% is not above it; exactly 10% down is not further than the line.
        let at_the_line = player("6000", vec![holding("AAPL", 40, dec!(100.01), "100")], 1, 1);
        assert!(!Patterns::of(&at_the_line, &settings).concentrated);
        let just_not_down = player("5500", vec![holding("AAPL", 1, dec!(100), "90")], 1, 1);
        assert!(!Patterns::of(&just_not_down, &settings).big_loss);

        let in_cash = player("9000", vec![holding("MSFT", 10, dec!(100), "100")], 10, 12);
        let patterns = Patterns::of(&in_cash, &settings);
        assert!(patterns.sitting_in_cash && patterns.overtrading, "90% cash, 10 trades today");
        assert_eq!(patterns.labels(), ["overtrading", "sitting in cash"]);

        let new = player("10000", Vec::new(), 0, 0);
        assert_eq!(Patterns::of(&new, &settings).labels(), ["sitting in cash", "not traded yet"]);
    }

    #[test]
    fn the_summary_counts_players_per_pattern() {
        let settings = CoachSettings::default();
        let players = [
            player("5500", vec![holding("AAPL", 50, dec!(100), "89.99")], 1, 1),
            player("10000", Vec::new(), 0, 0),
            player("9000", vec![holding("MSFT", 10, dec!(100), "100")], 10, 12),
        ];
        let patterns: Vec<Patterns> = players.iter().map(|facts| Patterns::of(facts, &settings)).collect();
        assert_eq!(
            ClassSummary::of(&patterns),
            ClassSummary {
                players: 3,
                concentrated: 1,
                overtrading: 1,
                sitting_in_cash: 2,
                big_loss: 1,
                not_traded: 1
            }
        );
    }
}
