//! Reusable pieces of the interface.

pub mod app_frame;
pub mod change;
pub mod data_table;
pub mod donut;
pub mod email_banner;
pub mod form;
pub mod game_phase;
pub mod hydrate_after_paint;
pub mod line_chart;
pub mod live;
pub mod logo;
pub mod open_orders;
pub mod order_ticket;
pub mod portfolio_switcher;
pub mod position_calculator;
pub mod provider_buttons;
pub mod reset_portfolio;
pub mod teacher_view;
pub mod toast;
pub mod value_comparison;
pub mod viewer;
