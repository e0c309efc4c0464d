//! Number formatting shared by money and counts (`1234567` → `1,234,567`), and page counting.

/// Inserts a comma every three digits from the right of a run of ASCII digits.
pub fn group_thousands(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// A count for people: `12,345`, `-7`.
pub fn format_count(count: i64) -> String {
    let sign = if count < 0 { "-" } else { "" };
    format!("{sign}{}", group_thousands(&count.unsigned_abs().to_string()))
}

/// How many pages of `per_page` items `total` items fill; at least one, so an empty list has a page.
pub fn page_count(total: i64, per_page: i64) -> i64 {
    ((total + per_page - 1) / per_page.max(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pages_with_at_least_one() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(22, 20), 2);
    }

    #[test]
    fn groups_by_thousands() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(1_234_567), "1,234,567");
        assert_eq!(format_count(-12_000), "-12,000");
        assert_eq!(format_count(i64::MIN), "-9,223,372,036,854,775,808");
    }
}
