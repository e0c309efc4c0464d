//! The symbols Papertrade lists: `universe.csv` (symbol, company, sector, kind, reference price,
//! annual volatility), compiled into the binary and parsed once at start-up.

use crate::domain::{Money, Symbol};
use std::collections::HashMap;

const UNIVERSE_CSV: &str = include_str!("universe.csv");

/// One listed stock or ETF.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub symbol: Symbol,
    pub name: String,
    pub sector: String,
    pub is_etf: bool,
    /// Where the simulated price wanders around.
    pub reference_price: Money,
    /// Annualized volatility of the simulated price, e.g. 0.25.
    pub volatility: f64,
}

#[derive(Debug)]
pub struct Universe {
    listings: Vec<Listing>,
    by_symbol: HashMap<Symbol, usize>,
}

impl Universe {
    /// The built-in universe. A malformed data file is a build mistake, caught by the tests.
    pub fn builtin() -> Universe {
        Universe::parse(UNIVERSE_CSV).expect("universe.csv is well-formed")
    }

    pub fn parse(csv: &str) -> Result<Universe, String> {
        let mut listings = Vec::new();
        for (number, line) in csv.lines().enumerate().skip(1).filter(|(_, line)| !line.trim().is_empty()) {
            let listing = parse_line(line).map_err(|problem| format!("universe.csv line {}: {problem}", number + 1))?;
            listings.push(listing);
        }
        let mut by_symbol = HashMap::new();
        for (index, listing) in listings.iter().enumerate() {
            if by_symbol.insert(listing.symbol.clone(), index).is_some() {
                return Err(format!("universe.csv lists {} twice", listing.symbol));
            }
        }
        Ok(Universe { listings, by_symbol })
    }

    pub fn get(&self, symbol: &Symbol) -> Option<&Listing> {
        self.by_symbol.get(symbol).map(|&index| &self.listings[index])
    }

    pub fn all(&self) -> &[Listing] {
        &self.listings
    }

    /// Listings whose symbol or company name contains `query` (case-insensitive): exact symbol
    /// first, then symbols starting with it, then the rest, each group in symbol order.
    pub fn search(&self, query: &str) -> Vec<&Listing> {
        let query = query.trim().to_lowercase();
        if query.is_empty() {
            return self.listings.iter().collect();
        }
        let mut found: Vec<(u8, &Listing)> = self
            .listings
            .iter()
            .filter_map(|listing| {
                let symbol = listing.symbol.as_str().to_lowercase();
                let rank = if symbol == query {
                    0
                } else if symbol.starts_with(&query) {
                    1
                } else if symbol.contains(&query) || listing.name.to_lowercase().contains(&query) {
                    2
                } else {
                    return None;
                };
                Some((rank, listing))
            })
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.symbol.cmp(&b.1.symbol)));
        found.into_iter().map(|(_, listing)| listing).collect()
    }
}

fn parse_line(line: &str) -> Result<Listing, String> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    let [symbol, name, sector, kind, price, volatility] = fields[..] else {
        return Err(format!("expected 6 fields, found {}", fields.len()));
    };
    let volatility: f64 = volatility.parse().map_err(|_| format!("volatility {volatility:?} is not a number"))?;
    if !(0.01..=2.0).contains(&volatility) {
        return Err(format!("volatility {volatility} is outside 0.01–2"));
    }
    let reference_price = Money::parse(price).map_err(|e| format!("price {price:?}: {e}"))?;
    if reference_price.is_negative() || reference_price.is_zero() {
        return Err(format!("price {price} must be positive"));
    }
    Ok(Listing {
        symbol: Symbol::parse(symbol).map_err(|e| format!("symbol {symbol:?}: {e}"))?,
        name: name.to_owned(),
        sector: sector.to_owned(),
        is_etf: match kind {
            "etf" => true,
            "stock" => false,
            other => return Err(format!("kind {other:?} should be stock or etf")),
        },
        reference_price,
        volatility,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_universe_is_large_and_well_formed() {
        let universe = Universe::builtin();
        assert!(universe.all().len() >= 100, "{} listings", universe.all().len());
        assert!(universe.all().iter().any(|l| l.is_etf));
        let sectors: std::collections::HashSet<&str> = universe.all().iter().map(|l| l.sector.as_str()).collect();
        assert!(sectors.len() >= 11, "{sectors:?}");
        assert_eq!(universe.get(&Symbol::parse("AAPL").unwrap()).unwrap().name, "Apple Inc");
    }

    #[test]
    fn search_ranks_symbols_before_names() {
        let universe = Universe::builtin();
        let found = universe.search("ma");
        assert_eq!(found[0].symbol.as_str(), "MA", "exact symbol first");
        assert!(found.iter().any(|l| l.symbol.as_str() == "AMZN"), "names match too");
        assert_eq!(universe.search("apple")[0].symbol.as_str(), "AAPL");
        assert!(universe.search("zzzz-nothing").is_empty());
        assert_eq!(universe.search("  ").len(), universe.all().len());
    }

    #[test]
    fn bad_lines_are_reported_with_their_line_number() {
        let error = Universe::parse("header\nAAPL,Apple,Tech,stock,abc,0.2").unwrap_err();
        assert!(error.contains("line 2") && error.contains("price"), "{error}");
        assert!(Universe::parse("h\nA,x,y,stock,1.00,0.2\nA,x,y,stock,1.00,0.2").unwrap_err().contains("twice"));
    }
}
