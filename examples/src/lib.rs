//! Example logic that the examples in `examples/` run and that tests drive too, so a test
//! exercises the same code as the example binary.

pub mod device_remote;
pub mod echo_bot;
pub mod meeting_bot;
pub mod meeting_roster;
pub mod oauth_login;

/// Logs to stderr at the level a `-v` count asks for: warnings, `-v` info, `-vv` debug.
pub fn init_logging(verbose: u8) {
    tracing_subscriber::fmt()
        .with_max_level(match verbose {
            0 => tracing::Level::WARN,
            1 => tracing::Level::INFO,
            _ => tracing::Level::DEBUG,
        })
        .init();
}
