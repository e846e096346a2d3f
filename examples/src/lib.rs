//! Examples live in `examples/`; this library target is empty.
