//! Exports of a build's current BOM: CSV and PDF files from the database.
