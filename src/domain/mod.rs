//! Pure types and rules of the simulator. Compiled for the server and the browser alike:
//! no IO, no database, no HTTP. Every type here is parsed once at the edge and trusted after.

pub mod account;
pub mod email;
pub mod money;
pub mod number;
pub mod portfolio;
pub mod shares;
pub mod symbol;
pub mod username;

pub use account::{AuthProvider, Side};
pub use email::Email;
pub use money::Money;
pub use shares::Shares;
pub use symbol::Symbol;
pub use username::Username;
