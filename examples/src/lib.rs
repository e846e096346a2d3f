//! Example logic that the examples in `examples/` run and that tests drive too, so a test
//! exercises the same code as the example binary.

pub mod echo_bot;
