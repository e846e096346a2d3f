//! Durations written as (fractional) seconds in files and the environment.

use std::time::Duration;

use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

pub(super) fn serialize<S: Serializer>(value: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(value.as_secs_f64())
}

pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(f64),
        Text(String),
    }
    let secs = match Raw::deserialize(d)? {
        Raw::Number(n) => n,
        Raw::Text(t) => t
            .trim()
            .parse::<f64>()
            .map_err(|_| D::Error::custom(format!("`{t}` is not a number of seconds")))?,
    };
    Duration::try_from_secs_f64(secs)
        .map_err(|_| D::Error::custom(format!("{secs} is not a valid number of seconds")))
}
