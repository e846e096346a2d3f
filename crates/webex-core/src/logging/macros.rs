//! The logging macros. They expand where they are called, so `module_path!()` is the caller's
//! module: that is the `tracing` target, and the target kept in the history.

/// Logs a record at a [`LogLevel`](crate::config::LogLevel) chosen at run time.
///
/// `webex_core::log!(logger, level, "format {}", args)`, where `logger` is a
/// [`Logger`](crate::logging::Logger) or a reference to one. The level is checked first, the
/// message is formatted once, and only if the logger's history keeps it or the current
/// `tracing` subscriber wants it (as a `tracing` event whose target is the calling module,
/// e.g. `webex_mercury::driver`). Never pass a secret: see [`redact`](crate::logging::redact).
///
/// ```
/// use webex_core::config::{LogLevel, LoggerConfig};
/// use webex_core::logging::Logger;
///
/// let mut config = LoggerConfig::default();
/// config.level = LogLevel::Info;
/// let logger = Logger::new(&config);
/// webex_core::log!(logger, LogLevel::Warn, "retry {} of {}", 1, 3);
/// webex_core::log_debug!(logger, "not kept: below `info`");
/// let kept = logger.history().records();
/// assert_eq!(kept.len(), 1);
/// assert_eq!(kept[0].message, "retry 1 of 3");
/// assert_eq!(kept[0].target, module_path!());
/// ```
#[macro_export]
macro_rules! log {
    ($logger:expr, $level:expr, $($arg:tt)+) => {{
        let logger: &$crate::logging::Logger = &$logger;
        let level: $crate::config::LogLevel = $level;
        let keep = logger.enabled(level);
        let emit = $crate::__tracing_at!(level, enabled);
        if keep || emit {
            let message = ::std::format!($($arg)+);
            if emit {
                $crate::__tracing_at!(level, event, message);
            }
            if keep {
                logger.keep(level, ::core::module_path!(), message);
            }
        }
    }};
}

/// Whether a record at `level` logged from here would be kept by `logger` or wanted by the
/// `tracing` subscriber: for work that only serves a record (timing a request, say).
#[macro_export]
macro_rules! log_enabled {
    ($logger:expr, $level:expr) => {{
        let level: $crate::config::LogLevel = $level;
        $crate::logging::Logger::enabled(&$logger, level) || $crate::__tracing_at!(level, enabled)
    }};
}

/// [`log!`](crate::log!) at `error`.
#[macro_export]
macro_rules! log_error {
    ($logger:expr, $($arg:tt)+) => {
        $crate::log!($logger, $crate::config::LogLevel::Error, $($arg)+)
    };
}

/// [`log!`](crate::log!) at `warn`.
#[macro_export]
macro_rules! log_warn {
    ($logger:expr, $($arg:tt)+) => {
        $crate::log!($logger, $crate::config::LogLevel::Warn, $($arg)+)
    };
}

/// [`log!`](crate::log!) at `info`.
#[macro_export]
macro_rules! log_info {
    ($logger:expr, $($arg:tt)+) => {
        $crate::log!($logger, $crate::config::LogLevel::Info, $($arg)+)
    };
}

/// [`log!`](crate::log!) at `debug`.
#[macro_export]
macro_rules! log_debug {
    ($logger:expr, $($arg:tt)+) => {
        $crate::log!($logger, $crate::config::LogLevel::Debug, $($arg)+)
    };
}

/// [`log!`](crate::log!) at `trace`.
#[macro_export]
macro_rules! log_trace {
    ($logger:expr, $($arg:tt)+) => {
        $crate::log!($logger, $crate::config::LogLevel::Trace, $($arg)+)
    };
}

/// `tracing` call sites need a constant level: one per level, chosen by
/// [`LogLevel::as_tracing`](crate::config::LogLevel::as_tracing). `enabled` asks the
/// subscriber whether it wants a record from the calling module; `event` emits one.
#[doc(hidden)]
#[macro_export]
macro_rules! __tracing_at {
    ($level:expr, enabled) => {
        $crate::__tracing_at!(@match $level, false, |LEVEL| {
            $crate::logging::__tracing::enabled!(target: ::core::module_path!(), LEVEL)
        })
    };
    ($level:expr, event, $message:expr) => {
        $crate::__tracing_at!(@match $level, (), |LEVEL| {
            $crate::logging::__tracing::event!(target: ::core::module_path!(), LEVEL, "{}", $message)
        })
    };
    (@match $level:expr, $silent:expr, |$name:ident| $body:expr) => {{
        use $crate::logging::__tracing::Level;
        match $crate::config::LogLevel::as_tracing($level) {
            ::core::option::Option::Some(Level::ERROR) => {
                const $name: Level = Level::ERROR;
                $body
            }
            ::core::option::Option::Some(Level::WARN) => {
                const $name: Level = Level::WARN;
                $body
            }
            ::core::option::Option::Some(Level::INFO) => {
                const $name: Level = Level::INFO;
                $body
            }
            ::core::option::Option::Some(Level::DEBUG) => {
                const $name: Level = Level::DEBUG;
                $body
            }
            ::core::option::Option::Some(_) => {
                const $name: Level = Level::TRACE;
                $body
            }
            ::core::option::Option::None => $silent,
        }
    }};
}
