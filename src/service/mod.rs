//! (in progress)

pub mod auth;
pub mod catalog;
pub mod notifications;
pub mod seed;
pub mod users;
