//! Pure types and rules of the simulator. Compiled for the server and the browser alike:
//! no IO, no database, no HTTP. Every type here is parsed once at the edge and trusted after.

/// The conversions every parsed string type shares: `as_str`, `Display`, and the `String`
/// round trip serde uses (`#[serde(try_from = "String", into = "String")]`), which parses.
macro_rules! string_newtype {
    ($name:ident, $error:ty) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $error;
            fn try_from(value: String) -> Result<$name, $error> {
                $name::parse(&value)
            }
        }
    };
}

pub mod account;
pub mod alert;
pub mod buying_power;
pub mod coach;
pub mod email;
pub mod game;
pub mod limits;
pub mod market_hours;
pub mod money;
pub mod number;
pub mod open_order;
pub mod order;
#[cfg(test)]
mod order_properties;
pub mod password;
pub mod portfolio;
pub mod quote;
pub mod redirect;
pub mod shares;
pub mod symbol;
#[cfg(test)]
mod test_support;
pub mod username;
pub mod valuation;

pub use account::{AuthProvider, Side};
pub use email::Email;
pub use market_hours::MarketHours;
pub use money::Money;
pub use password::NewPassword;
pub use shares::Shares;
pub use symbol::Symbol;
pub use username::Username;
