//! The screens and the shell without a database: the App (or one screen) driven through `update` with
//! scripted keys and fake replies, and golden renders into `screens/<screen>/<state>.snap`.
//! One module per screen; `harness` holds the driver, the fixtures and the styled text render.
#![allow(clippy::panic)] // a test reports failure by panicking

mod harness;

mod alerts;
mod app;
mod audit_log;
mod badge;
mod bom_viewer;
mod build_history;
mod comments;
mod corrections;
mod dhr;
mod documents;
mod drawing;
mod holds;
mod inventory;
mod keymap;
mod long_lists;
mod nonconformance;
mod order_desk;
mod order_queue;
mod order_wizard;
mod packaging;
mod qc_checklist;
mod rejection_reasons;
mod reports;
mod service_catalog;
mod service_queue;
mod settings;
mod shell_screens;
mod sizes;
mod task_runner;
mod templates;
mod testing_form;
mod work_instructions;
