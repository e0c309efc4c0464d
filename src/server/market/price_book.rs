//! Quotes of many symbols at one moment, each asked for once: the one place where a symbol
//! becomes a listing and a quote for valuations, value snapshots and the coach.
//!
//! Asking ([`PriceBook::fetch`], [`PriceBook::get`]) may go to the quote provider; looking up
//! ([`PriceBook::known`]) never does, so code that holds row locks reads only what was fetched
//! before it took them.

use crate::domain::quote::Quote;
use crate::domain::Symbol;
use crate::server::market::Market;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// A listed symbol with its quote.
#[derive(Clone, Debug)]
pub struct Priced {
    pub name: String,
    pub sector: String,
    pub quote: Quote,
}

pub struct PriceBook<'m> {
    market: &'m Market,
    now: DateTime<Utc>,
    /// `None`: asked, and the market had no price (unlisted, or quotes down).
    known: HashMap<Symbol, Option<Priced>>,
}

impl<'m> PriceBook<'m> {
    pub fn new(market: &'m Market, now: DateTime<Utc>) -> PriceBook<'m> {
        PriceBook { market, now, known: HashMap::new() }
    }

    /// The moment every quote in the book is for.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Records a quote already fetched (an order's own, checked before anything else).
    pub fn insert(&mut self, symbol: Symbol, quote: Quote) {
        let priced = self.market.universe.get(&symbol).map(|listing| Priced {
            name: listing.name.clone(),
            sector: listing.sector.clone(),
            quote,
        });
        self.known.insert(symbol, priced);
    }

    /// Asks for the quotes of `symbols` the book has not asked for yet. (Owned symbols: a
    /// borrowing iterator held across the awaits would make the caller's future not `Send`.)
    pub async fn fetch(&mut self, symbols: Vec<Symbol>) {
        for symbol in symbols {
            if !self.known.contains_key(&symbol) {
                let priced = self.ask(&symbol).await;
                self.known.insert(symbol, priced);
            }
        }
    }

    /// The quote of `symbol`, asked for if the book has not yet.
    pub async fn get(&mut self, symbol: &Symbol) -> Option<&Priced> {
        if !self.known.contains_key(symbol) {
            let priced = self.ask(symbol).await;
            self.known.insert(symbol.clone(), priced);
        }
        self.known.get(symbol).and_then(Option::as_ref)
    }

    /// What the book knows of `symbol` without asking: `None` if it never asked, `Some(None)`
    /// if it asked and got no price.
    pub fn known(&self, symbol: &Symbol) -> Option<Option<&Priced>> {
        self.known.get(symbol).map(Option::as_ref)
    }

    /// The symbols among `symbols` the book has not asked for yet.
    pub fn unasked<'s>(&self, symbols: impl IntoIterator<Item = &'s Symbol>) -> Vec<Symbol> {
        symbols.into_iter().filter(|symbol| !self.known.contains_key(*symbol)).cloned().collect()
    }

    async fn ask(&self, symbol: &Symbol) -> Option<Priced> {
        let listing = self.market.universe.get(symbol)?;
        let quote = self.market.quotes.quote(listing, self.now).await.ok()?;
        Some(Priced { name: listing.name.clone(), sector: listing.sector.clone(), quote })
    }
}
