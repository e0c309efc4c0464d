//! The leaderboard's order: by total return since each player's own start — so a player who
//! joined late competes on what they made, not on how long they had — ties broken by the
//! earlier join.

use crate::domain::quote::Percent;
use crate::domain::Money;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

/// One player's figures, as the leaderboard reads them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    pub player: Uuid,
    pub joined_at: DateTime<Utc>,
    /// What the player started with: the game's cash when they joined.
    pub starting_value: Money,
    /// Cash and holdings now (or at the last close, once the game has ended).
    pub value: Money,
    pub trades: i64,
}

/// A standing with its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ranked {
    /// 1 for the leader; no two players share a place (ties go to the earlier join).
    pub place: usize,
    /// (value − starting value) ÷ starting value, in percent, to two decimals.
    pub total_return: Percent,
    pub standing: Standing,
}

impl Standing {
    /// The exact return, for ordering (the shown one is rounded).
    fn exact_return(&self) -> Decimal {
        let start = self.starting_value.amount();
        if start.is_zero() {
            return Decimal::ZERO;
        }
        (self.value.amount() - start) / start
    }
}

/// The standings in leaderboard order, placed.
pub fn rank(mut standings: Vec<Standing>) -> Vec<Ranked> {
    standings.sort_by(|a, b| {
        b.exact_return()
            .cmp(&a.exact_return())
            .then(a.joined_at.cmp(&b.joined_at))
            // Two players who joined in the same microsecond: a fixed order, not a shuffle.
            .then(a.player.cmp(&b.player))
    });
    standings
        .into_iter()
        .enumerate()
        .map(|(index, standing)| Ranked {
            place: index + 1,
            total_return: Percent::of(
                standing.value.amount() - standing.starting_value.amount(),
                standing.starting_value.amount(),
            ),
            standing,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn player(n: u128, joined_hour: u32, start: i64, value: i64) -> Standing {
        Standing {
            player: Uuid::from_u128(n),
            joined_at: Utc.with_ymd_and_hms(2026, 12, 1, joined_hour, 0, 0).unwrap(),
            starting_value: Money::from_cents(start * 100),
            value: Money::from_cents(value * 100),
            trades: 0,
        }
    }

    fn order(ranked: &[Ranked]) -> Vec<u128> {
        ranked.iter().map(|r| r.standing.player.as_u128()).collect()
    }

    #[test]
    fn a_late_joiner_competes_on_their_own_return_not_on_value() {
        // Player 1 started with $10,000 and has $11,000 (+10%); player 2 joined later with the
        // same cash and has $10,600 (+6%); player 3 lost.
        let ranked =
            rank(vec![player(3, 9, 10_000, 9_500), player(2, 12, 10_000, 10_600), player(1, 9, 10_000, 11_000)]);
        assert_eq!(order(&ranked), [1, 2, 3]);
        assert_eq!(ranked[0].total_return.to_string(), "10.00");
        assert_eq!(ranked[2].total_return.signed(), "−5.00%");
        assert_eq!(ranked.iter().map(|r| r.place).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn the_same_return_goes_to_the_earlier_join_and_a_bigger_start_does_not_help() {
        // +5% each: $21,000 of $20,000 and $10,500 of $10,000; the earlier join leads.
        let ranked = rank(vec![player(7, 10, 20_000, 21_000), player(8, 9, 10_000, 10_500)]);
        assert_eq!(order(&ranked), [8, 7]);
        // Exactly equal to the hundredth but not exactly: the exact return decides.
        let close = rank(vec![player(1, 9, 100_000, 100_001), player(2, 10, 100_000, 100_002)]);
        assert_eq!(order(&close), [2, 1]);
        assert_eq!(close[0].total_return, close[1].total_return, "both show 0.00%");
    }

    #[test]
    fn ties_at_the_same_moment_keep_a_fixed_order() {
        let ranked = rank(vec![player(5, 9, 10_000, 10_000), player(4, 9, 10_000, 10_000)]);
        assert_eq!(order(&ranked), [4, 5]);
        assert!(rank(Vec::new()).is_empty());
    }
}
