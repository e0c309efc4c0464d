//! Games: a contest between players, each trading a portfolio of the game's starting cash,
//! between a start and an end, under rules fixed when the game starts — the commission every
//! fill pays, the largest share of the portfolio one stock may take, the lowest share price a
//! buy may pay, how soon a buy may be sold, which order types are allowed, who may join late.
//! Pure, so the order path, the preview and the docs' examples run one set of rules
//! (docs/GAMES.md).

mod benchmark_line;
mod code;
mod ranking;
mod rules;

pub use benchmark_line::{benchmark_line, PriceAt};
pub use code::{JoinCode, JoinCodeError, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH};
pub use ranking::{rank, Ranked, Standing};
pub use rules::{Commission, CommissionError, GameRules, JoinRefusal, OrderFacts, Refusal};

use chrono::{DateTime, Duration, Utc};

/// When trading is allowed: from `starts_at` until `ends_at`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// Where a game is in its life at some moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Not started: the countdown's figure.
    NotStarted {
        starts_in: Duration,
    },
    Running,
    /// Ended: the ranking is frozen at the last close before `ends_at`.
    Ended,
}

/// Why a window cannot be a game's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("a game must end after it starts")]
    EndsBeforeStart,
    #[error("a game lasts at most {MAX_GAME_DAYS} days")]
    TooLong,
    #[error("the game has ended; its standings are final")]
    Ended,
    #[error("the new end must be in the future")]
    EndInThePast,
}

/// The longest game: a school year.
pub const MAX_GAME_DAYS: i64 = 366;

impl Window {
    pub fn new(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<Window, WindowError> {
        if ends_at <= starts_at {
            return Err(WindowError::EndsBeforeStart);
        }
        if ends_at - starts_at > Duration::days(MAX_GAME_DAYS) {
            return Err(WindowError::TooLong);
        }
        Ok(Window { starts_at, ends_at })
    }

    /// The window with its end moved to `ends_at` at `now`: the one rule an organiser may change
    /// once a game runs, as long as it has not ended and the new end is still ahead.
    pub fn with_end(self, ends_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<Window, WindowError> {
        if self.ends_at <= now {
            return Err(WindowError::Ended);
        }
        if ends_at <= now {
            return Err(WindowError::EndInThePast);
        }
        Window::new(self.starts_at, ends_at)
    }

    pub fn phase(&self, now: DateTime<Utc>) -> Phase {
        if now < self.starts_at {
            Phase::NotStarted { starts_in: self.starts_at - now }
        } else if now < self.ends_at {
            Phase::Running
        } else {
            Phase::Ended
        }
    }
}

/// A countdown's words for the time `left`, to the two largest units: "2 days 3 h",
/// "3 h 5 min", "4 min 20 s", "20 s"; "now" once nothing is left.
pub fn countdown(left: Duration) -> String {
    let seconds = left.num_seconds();
    if seconds <= 0 {
        return "now".to_owned();
    }
    let (days, hours, minutes, seconds) = (seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60);
    let day_word = if days == 1 { "day" } else { "days" };
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds} s"),
        (0, 0, _) => format!("{minutes} min {seconds} s"),
        (0, _, _) => format!("{hours} h {minutes} min"),
        _ => format!("{days} {day_word} {hours} h"),
    }
}

#[cfg(test)]
mod tests;
