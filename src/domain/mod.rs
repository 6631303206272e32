//! Pure types and rules: no IO here.

pub mod notification;
pub mod role;
pub mod session;
pub mod user;

pub use role::Role;
