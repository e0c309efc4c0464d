//! Everything people see: reusable components and one routed page per file.

pub mod components;
pub mod pages;
