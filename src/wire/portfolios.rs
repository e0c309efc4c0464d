//! The portfolios a learner can trade in, as the header's switcher shows them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One portfolio of the learner's: "Personal", or "Game: <name>" with its game.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioChoice {
    pub id: Uuid,
    pub label: String,
    pub game_id: Option<Uuid>,
}

/// The learner's portfolios and the one pages and orders act on now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioChoices {
    pub selected: Uuid,
    pub choices: Vec<PortfolioChoice>,
}

impl PortfolioChoices {
    /// The selected portfolio's choice.
    pub fn current(&self) -> Option<&PortfolioChoice> {
        self.choices.iter().find(|choice| choice.id == self.selected)
    }
}
