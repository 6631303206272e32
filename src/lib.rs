//! cleanstation: the CleanStation production-floor terminal application.
//!
//! The binary (`main.rs`) only wires these modules together; everything testable lives here.

pub mod app;
pub mod auth;
pub mod cluster;
pub mod commands;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod export;
pub mod keymap;
pub mod live;
pub mod load;
pub mod logging;
pub mod msg;
pub mod prompt;
pub mod reference;
pub mod runtime;
pub mod screens;
pub mod service;
pub mod sys;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod widgets;

#[cfg(test)]
mod architecture_tests;
