//! Repository and service tests against a real PostgreSQL (a throwaway cluster; a fresh database per test).
#![allow(clippy::panic)] // a test reports failure by panicking

#[path = "../support/mod.rs"]
mod support;

mod alerts;
mod audit;
mod audit_trail;
mod auth;
mod backup;
mod badge;
mod bom;
mod bom_read;
mod calendar;
mod carry_over;
mod catalog;
mod comments;
mod corrections;
mod desk;
mod dhr;
mod documents;
mod export;
mod floor;
mod harness;
mod holds;
mod instructions;
mod inventory;
mod live;
mod nonconformance;
mod orders;
mod packaging;
mod qc;
mod qc_signatures;
mod rejection_reasons;
mod reports;
mod rework;
mod roles;
mod scan;
mod schema;
mod seed;
mod service_orders;
mod settings;
mod signatures;
mod startup;
mod statements;
mod tasks;
mod template_editor;
mod templates;
mod testing;
mod text_safety;
mod users;
