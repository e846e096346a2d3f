//! Tests of the ROAP core.

mod machine;
mod message;
mod proptests;
mod turn;
