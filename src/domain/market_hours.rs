//! Market hours: when the simulated market accepts trades.
//!
//! `Nyse` follows the New York Stock Exchange regular session, 09:30–16:00 America/New_York, Monday to
//! Friday, closed on NYSE full-day holidays (early closes are ignored). New York time is derived from UTC
//! with the US daylight-saving rules (second Sunday of March 02:00 local to first Sunday of November
//! 02:00 local) computed here, so no time-zone database is needed. `Always` never closes.
//!
//! Pure: no clock is read; every function takes the moment it reasons about.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};

/// Which trading calendar the market follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MarketHours {
    /// Open around the clock, every day.
    Always,
    /// NYSE regular session: 09:30–16:00 New York time on trading days.
    Nyse,
}

impl MarketHours {
    /// Parses `always` or `nyse`, trimmed and case-insensitive.
    pub fn parse(text: &str) -> Option<MarketHours> {
        match text.trim().to_ascii_lowercase().as_str() {
            "always" => Some(MarketHours::Always),
            "nyse" => Some(MarketHours::Nyse),
            _ => None,
        }
    }

    /// Whether trades are accepted at `at`.
    pub fn is_open(self, at: DateTime<Utc>) -> bool {
        match self {
            MarketHours::Always => true,
            MarketHours::Nyse => {
                let local = to_new_york(at);
                is_trading_day(local.date()) && local.time() >= open_time() && local.time() < close_time()
            }
        }
    }

    /// The start of the next session when the market is closed at `at`; `None` when it is open at `at`
    /// or the hours are `Always`.
    pub fn next_open(self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self == MarketHours::Always || self.is_open(at) {
            return None;
        }
        let local = to_new_york(at);
        let mut date = if local.time() < open_time() { local.date() } else { next_day(local.date()) };
        while !is_trading_day(date) {
            date = next_day(date);
        }
        Some(new_york_to_utc(date.and_time(open_time())))
    }

    /// When the session a day order placed at `at` belongs to ends: the close of the session open
    /// at `at`, or — while the market is closed — of the next one (the order waits for the open
    /// and lasts through that session). For `Always`, the end of the UTC day.
    pub fn session_end(self, at: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            MarketHours::Always => next_day(at.date_naive()).and_time(NaiveTime::MIN).and_utc(),
            MarketHours::Nyse => {
                let opens = self.next_open(at).unwrap_or(at);
                new_york_to_utc(to_new_york(opens).date().and_time(close_time()))
            }
        }
    }

    /// The most recent session close (16:00 New York) at or before `at`; for `Always`, `at` minus 24 hours.
    pub fn previous_close(self, at: DateTime<Utc>) -> DateTime<Utc> {
        if self == MarketHours::Always {
            return at - Duration::hours(24);
        }
        let local = to_new_york(at);
        let mut date = if local.time() >= close_time() { local.date() } else { previous_day(local.date()) };
        while !is_trading_day(date) {
            date = previous_day(date);
        }
        new_york_to_utc(date.and_time(close_time()))
    }

    /// The close a day's change is measured from at `at`: during a session, the close before it;
    /// while closed, the close before the last one (the last session's change stays on show).
    pub fn change_since(self, at: DateTime<Utc>) -> DateTime<Utc> {
        if self.is_open(at) {
            self.previous_close(at)
        } else {
            self.previous_close(self.previous_close(at) - Duration::seconds(1))
        }
    }

    /// The latest trading day that has closed at `at`, and the moment it closed: for NYSE hours the
    /// session's 16:00 New York close; for `Always`, the UTC day before `at`, closed at midnight UTC.
    pub fn last_close(self, at: DateTime<Utc>) -> (NaiveDate, DateTime<Utc>) {
        match self {
            MarketHours::Always => {
                let midnight = at.date_naive().and_time(NaiveTime::MIN).and_utc();
                (previous_day(at.date_naive()), midnight)
            }
            MarketHours::Nyse => {
                let close = self.previous_close(at);
                (to_new_york(close).date(), close)
            }
        }
    }
}

/// Whether `date` is a weekday on which the NYSE is closed for a full-day holiday (observed dates
/// included: a holiday on Saturday moves to Friday, on Sunday to Monday, except that New Year's Day on a
/// Saturday is not observed).
pub fn is_nyse_holiday(date: NaiveDate) -> bool {
    let year = date.year();
    let holidays = [
        new_years_day(year),
        Some(nth_weekday(year, 1, Weekday::Mon, 3)), // Martin Luther King Jr. Day
        Some(nth_weekday(year, 2, Weekday::Mon, 3)), // Washington's Birthday
        Some(easter_sunday(year) - Duration::days(2)), // Good Friday
        Some(last_weekday(year, 5, Weekday::Mon)),   // Memorial Day
        (year >= 2022).then(|| observed(ymd(year, 6, 19))), // Juneteenth
        Some(observed(ymd(year, 7, 4))),             // Independence Day
        Some(nth_weekday(year, 9, Weekday::Mon, 1)), // Labor Day
        Some(nth_weekday(year, 11, Weekday::Thu, 4)), // Thanksgiving
        Some(observed(ymd(year, 12, 25))),           // Christmas
    ];
    holidays.contains(&Some(date))
}

/// New York's offset from UTC in hours at `at`: -4 during US daylight-saving time, otherwise -5.
pub fn new_york_offset_hours(at: DateTime<Utc>) -> i64 {
    let utc = at.naive_utc();
    let year = utc.year();
    // 02:00 EST is 07:00 UTC; 02:00 EDT is 06:00 UTC.
    let dst_start = nth_weekday(year, 3, Weekday::Sun, 2).and_time(hm(7, 0));
    let dst_end = nth_weekday(year, 11, Weekday::Sun, 1).and_time(hm(6, 0));
    if utc >= dst_start && utc < dst_end {
        -4
    } else {
        -5
    }
}

fn open_time() -> NaiveTime {
    hm(9, 30)
}

fn close_time() -> NaiveTime {
    hm(16, 0)
}

fn is_trading_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_nyse_holiday(date)
}

/// Wall-clock time in New York at `at`.
fn to_new_york(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc() + Duration::hours(new_york_offset_hours(at))
}

/// The UTC moment of a New York wall-clock time. Exact outside the 01:00–03:00 transition window, which
/// is all the session times need.
fn new_york_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    let as_if_standard = (local + Duration::hours(5)).and_utc();
    (local - Duration::hours(new_york_offset_hours(as_if_standard))).and_utc()
}

/// January 1, or January 2 when it falls on Sunday; not observed at all when it falls on Saturday.
fn new_years_day(year: i32) -> Option<NaiveDate> {
    let day = ymd(year, 1, 1);
    match day.weekday() {
        Weekday::Sat => None,
        Weekday::Sun => Some(next_day(day)),
        _ => Some(day),
    }
}

/// The weekday a fixed-date holiday is observed on: Saturday moves to Friday, Sunday to Monday.
fn observed(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => previous_day(date),
        Weekday::Sun => next_day(date),
        _ => date,
    }
}

/// The `n`-th (1-based) `weekday` of a month.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u32) -> NaiveDate {
    let first = ymd(year, month, 1);
    let ahead = (7 + weekday.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
    first + Duration::days(i64::from(ahead + 7 * (n - 1)))
}

/// The last `weekday` of a month.
fn last_weekday(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    let first_of_next = if month == 12 { ymd(year + 1, 1, 1) } else { ymd(year, month + 1, 1) };
    let last = previous_day(first_of_next);
    let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    last - Duration::days(i64::from(back))
}

/// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("calendar arithmetic yields valid dates")
}

fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time of day")
}

fn next_day(date: NaiveDate) -> NaiveDate {
    date + Duration::days(1)
}

fn previous_day(date: NaiveDate) -> NaiveDate {
    date - Duration::days(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        ymd(year, month, day)
    }

    /// A UTC moment, written out in UTC so the tests do not rely on the conversion under test.
    fn utc(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        date(year, month, day).and_time(hm(hour, minute)).and_utc()
    }

    #[test]
    fn change_is_measured_from_the_close_before_the_session_on_show() {
        // Friday 2026-11-27 10:00 New York (15:00 UTC), open: from Wednesday's close (Thanksgiving between).
        assert_eq!(MarketHours::Nyse.change_since(utc(2026, 11, 27, 15, 0)), utc(2026, 11, 25, 21, 0));
        // Saturday: Friday's session is on show, measured from Wednesday's close.
        assert_eq!(MarketHours::Nyse.change_since(utc(2026, 11, 28, 15, 0)), utc(2026, 11, 25, 21, 0));
        assert_eq!(MarketHours::Always.change_since(utc(2026, 11, 28, 15, 0)), utc(2026, 11, 27, 15, 0));
    }

    #[test]
    fn last_close_names_the_trading_day_that_closed() {
        // Thursday 2026-11-26 is Thanksgiving: the last close before Friday's session is Wednesday's.
        let (day, close) = MarketHours::Nyse.last_close(utc(2026, 11, 27, 15, 0));
        assert_eq!((day, close), (date(2026, 11, 25), utc(2026, 11, 25, 21, 0)));
        // Just after a close, that close is the last one (EST: 16:00 New York = 21:00 UTC).
        assert_eq!(MarketHours::Nyse.last_close(utc(2026, 12, 1, 21, 1)).0, date(2026, 12, 1));
        let (day, close) = MarketHours::Always.last_close(utc(2026, 11, 26, 0, 30));
        assert_eq!((day, close), (date(2026, 11, 25), utc(2026, 11, 26, 0, 0)));
    }

    #[test]
    fn parses_names_case_insensitively() {
        assert_eq!(MarketHours::parse("always"), Some(MarketHours::Always));
        assert_eq!(MarketHours::parse(" NYSE "), Some(MarketHours::Nyse));
        assert_eq!(MarketHours::parse("Nyse"), Some(MarketHours::Nyse));
        assert_eq!(MarketHours::parse(""), None);
        assert_eq!(MarketHours::parse("nasdaq"), None);
    }

    #[test]
    fn serializes_lowercase() {
        assert_eq!(serde_json::to_string(&MarketHours::Nyse).unwrap(), "\"nyse\"");
        assert_eq!(serde_json::from_str::<MarketHours>("\"always\"").unwrap(), MarketHours::Always);
    }

    #[test]
    fn easter_matches_known_dates() {
        assert_eq!(easter_sunday(2000), date(2000, 4, 23));
        assert_eq!(easter_sunday(2024), date(2024, 3, 31));
        assert_eq!(easter_sunday(2025), date(2025, 4, 20));
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2027), date(2027, 3, 28));
        assert_eq!(easter_sunday(2038), date(2038, 4, 25));
    }

    #[test]
    fn knows_the_2025_and_2026_holidays() {
        let holidays = [
            date(2025, 1, 1),
            date(2025, 1, 20),
            date(2025, 2, 17),
            date(2025, 4, 18),
            date(2025, 5, 26),
            date(2025, 6, 19),
            date(2025, 7, 4),
            date(2025, 9, 1),
            date(2025, 11, 27),
            date(2025, 12, 25),
            date(2026, 1, 1),
            date(2026, 1, 19),
            date(2026, 2, 16),
            date(2026, 4, 3),
            date(2026, 5, 25),
            date(2026, 6, 19),
            date(2026, 7, 3),
            date(2026, 9, 7),
            date(2026, 11, 26),
            date(2026, 12, 25),
        ];
        for day in holidays {
            assert!(is_nyse_holiday(day), "{day} is a holiday");
        }
        for day in [date(2025, 4, 21), date(2026, 4, 6), date(2026, 11, 27), date(2026, 12, 24), date(2026, 7, 6)] {
            assert!(!is_nyse_holiday(day), "{day} is a trading day");
        }
    }

    #[test]
    fn applies_the_observance_rules() {
        assert!(is_nyse_holiday(date(2022, 12, 26)), "Christmas 2022 fell on Sunday");
        assert!(is_nyse_holiday(date(2027, 12, 24)), "Christmas 2027 falls on Saturday");
        assert!(is_nyse_holiday(date(2027, 7, 5)), "Independence Day 2027 falls on Sunday");
        assert!(is_nyse_holiday(date(2023, 1, 2)), "New Year's Day 2023 fell on Sunday");
        assert!(!is_nyse_holiday(date(2021, 12, 31)), "New Year's Day 2022 fell on Saturday: not observed");
        assert!(!is_nyse_holiday(date(2027, 12, 31)), "New Year's Day 2028 falls on Saturday: not observed");
        assert!(!is_nyse_holiday(date(2026, 12, 31)), "New Year's Day 2027 is a Friday, observed on itself");
        assert!(is_nyse_holiday(date(2027, 1, 1)));
    }

    #[test]
    fn juneteenth_starts_in_2022() {
        assert!(!is_nyse_holiday(date(2021, 6, 18)));
        assert!(is_nyse_holiday(date(2022, 6, 20)), "June 19 2022 fell on Sunday");
        assert!(is_nyse_holiday(date(2027, 6, 18)), "June 19 2027 falls on Saturday");
    }

    #[test]
    fn daylight_saving_boundaries() {
        assert_eq!(new_york_offset_hours(utc(2026, 1, 15, 12, 0)), -5);
        assert_eq!(new_york_offset_hours(utc(2026, 7, 1, 12, 0)), -4);
        // 2026-03-08 02:00 EST = 07:00 UTC.
        assert_eq!(new_york_offset_hours(utc(2026, 3, 8, 6, 59)), -5);
        assert_eq!(new_york_offset_hours(utc(2026, 3, 8, 7, 0)), -4);
        // 2026-11-01 02:00 EDT = 06:00 UTC.
        assert_eq!(new_york_offset_hours(utc(2026, 11, 1, 5, 59)), -4);
        assert_eq!(new_york_offset_hours(utc(2026, 11, 1, 6, 0)), -5);
    }

    #[test]
    fn session_bounds_in_winter() {
        // Wednesday 2026-01-14, EST (UTC-5).
        let nyse = MarketHours::Nyse;
        assert!(!nyse.is_open(utc(2026, 1, 14, 14, 29)));
        assert!(nyse.is_open(utc(2026, 1, 14, 14, 30)));
        assert!(nyse.is_open(utc(2026, 1, 14, 20, 59)));
        assert!(!nyse.is_open(utc(2026, 1, 14, 21, 0)));
    }

    #[test]
    fn session_bounds_in_summer() {
        // Wednesday 2026-07-15, EDT (UTC-4).
        let nyse = MarketHours::Nyse;
        assert!(!nyse.is_open(utc(2026, 7, 15, 13, 29)));
        assert!(nyse.is_open(utc(2026, 7, 15, 13, 30)));
        assert!(nyse.is_open(utc(2026, 7, 15, 19, 59)));
        assert!(!nyse.is_open(utc(2026, 7, 15, 20, 0)));
    }

    #[test]
    fn closed_on_weekends_and_holidays() {
        let nyse = MarketHours::Nyse;
        assert!(!nyse.is_open(utc(2026, 1, 17, 16, 0)), "Saturday");
        assert!(!nyse.is_open(utc(2026, 1, 18, 16, 0)), "Sunday");
        assert!(!nyse.is_open(utc(2026, 1, 19, 16, 0)), "Martin Luther King Jr. Day");
        assert!(!nyse.is_open(utc(2026, 4, 3, 15, 0)), "Good Friday");
        assert!(!nyse.is_open(utc(2026, 7, 3, 15, 0)), "Independence Day observed");
        assert!(!nyse.is_open(utc(2026, 11, 26, 16, 0)), "Thanksgiving");
        assert!(nyse.is_open(utc(2026, 11, 27, 16, 0)), "the day after Thanksgiving trades");
    }

    #[test]
    fn next_open_skips_the_weekend() {
        let nyse = MarketHours::Nyse;
        // Friday 2026-01-09 17:00 EST -> Monday 2026-01-12 09:30 EST.
        assert_eq!(nyse.next_open(utc(2026, 1, 9, 22, 0)), Some(utc(2026, 1, 12, 14, 30)));
        // Friday 2026-07-10 18:00 EDT -> Monday 2026-07-13 09:30 EDT.
        assert_eq!(nyse.next_open(utc(2026, 7, 10, 22, 0)), Some(utc(2026, 7, 13, 13, 30)));
        // Across the spring-forward weekend: Friday in EST, Monday in EDT.
        assert_eq!(nyse.next_open(utc(2026, 3, 6, 22, 0)), Some(utc(2026, 3, 9, 13, 30)));
    }

    #[test]
    fn next_open_skips_holidays() {
        let nyse = MarketHours::Nyse;
        // Wednesday 2026-11-25 16:30 EST; Thanksgiving is 2026-11-26.
        assert_eq!(nyse.next_open(utc(2026, 11, 25, 21, 30)), Some(utc(2026, 11, 27, 14, 30)));
        // Thursday 2026-04-02 17:00 EDT; Good Friday, then the weekend.
        assert_eq!(nyse.next_open(utc(2026, 4, 2, 21, 0)), Some(utc(2026, 4, 6, 13, 30)));
    }

    #[test]
    fn next_open_uses_the_new_york_date() {
        let nyse = MarketHours::Nyse;
        // Early morning the same day.
        assert_eq!(nyse.next_open(utc(2026, 1, 14, 12, 0)), Some(utc(2026, 1, 14, 14, 30)));
        // 02:00 UTC on the 15th is still the evening of the 14th in New York.
        assert_eq!(nyse.next_open(utc(2026, 1, 15, 2, 0)), Some(utc(2026, 1, 15, 14, 30)));
        // Open now: no next open.
        assert_eq!(nyse.next_open(utc(2026, 1, 14, 15, 0)), None);
    }

    #[test]
    fn previous_close_finds_the_last_session_end() {
        let nyse = MarketHours::Nyse;
        // During Wednesday's session: Tuesday's close.
        assert_eq!(nyse.previous_close(utc(2026, 1, 14, 15, 0)), utc(2026, 1, 13, 21, 0));
        // Exactly at and after Wednesday's close: Wednesday's close.
        assert_eq!(nyse.previous_close(utc(2026, 1, 14, 21, 0)), utc(2026, 1, 14, 21, 0));
        assert_eq!(nyse.previous_close(utc(2026, 1, 15, 2, 0)), utc(2026, 1, 14, 21, 0));
        // Monday morning: Friday's close.
        assert_eq!(nyse.previous_close(utc(2026, 1, 12, 14, 0)), utc(2026, 1, 9, 21, 0));
        // The day after Thanksgiving: Wednesday's close.
        assert_eq!(nyse.previous_close(utc(2026, 11, 27, 15, 0)), utc(2026, 11, 25, 21, 0));
        // Monday after the observed Independence Day, in EDT: Thursday's close.
        assert_eq!(nyse.previous_close(utc(2026, 7, 6, 14, 0)), utc(2026, 7, 2, 20, 0));
    }

    #[test]
    fn always_never_closes() {
        let always = MarketHours::Always;
        for at in [utc(2026, 1, 17, 3, 0), utc(2026, 11, 26, 16, 0), utc(2026, 1, 14, 21, 0)] {
            assert!(always.is_open(at));
            assert_eq!(always.next_open(at), None);
            assert_eq!(always.previous_close(at), at - Duration::hours(24));
        }
    }

    #[test]
    fn a_day_order_lasts_until_the_close_of_its_session_or_of_the_next_one() {
        let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc);
        // Thursday 3 December 2026, 11:00 in New York (EST, UTC-5): today's close, 21:00 UTC.
        assert_eq!(MarketHours::Nyse.session_end(at("2026-12-03T16:00:00Z")), at("2026-12-03T21:00:00Z"));
        // After Friday's close: Monday's session.
        assert_eq!(MarketHours::Nyse.session_end(at("2026-12-04T22:00:00Z")), at("2026-12-07T21:00:00Z"));
        assert_eq!(MarketHours::Always.session_end(at("2026-12-03T16:00:00Z")), at("2026-12-04T00:00:00Z"));
    }
}
