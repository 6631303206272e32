//! The command line as a user runs it: the real binary against a seeded database (`env`), and the
//! configuration files it reads.
#![allow(clippy::panic)] // a test reports failure by panicking

#[path = "../support/mod.rs"]
mod support;

mod env;

mod bom_preview;
mod checklist_preview;
mod config;
mod dhr;
mod imports;
mod label;
mod loadtest;
mod logs;
mod order_list;
mod report;
