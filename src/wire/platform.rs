//! Public, aggregate figures about the whole platform, shown on the landing page.

use crate::domain::Money;
use serde::{Deserialize, Serialize};

/// What the landing page shows under "Papertrade today".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformFigures {
    pub learners: i64,
    pub trades_executed: i64,
    pub virtual_cash: Money,
}
