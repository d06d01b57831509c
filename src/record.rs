//! Stored-value balance records (`SVR1`).
