//! Tests of the key block module.
