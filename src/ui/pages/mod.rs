//! One routed page per file.

pub mod landing;
pub mod not_found;
