//! Preflight's language server (being written).
