//! Reading a model that keeps the fields it does not know in an `extra` map, in one pass.
//!
//! `#[serde(flatten)]` does the same but first copies the whole object into serde's
//! intermediate buffer and reads every field from that copy; on the hot paths (a Mercury
//! activity per event, a message per fetch) that copy costs more than the reading.
//! A model instead implements [`FromMap`], reading its map with [`read_fields`] (the fields
//! it knows straight into their types, the others into `extra`), and its `Deserialize` calls
//! [`deserialize`].

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }
            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A model read from a JSON object by [`read_fields`].
pub trait FromMap: Sized {
    /// What it is, for errors (`a message`).
    const EXPECTING: &'static str;

    /// Reads it from the object's entries.
    ///
    /// # Errors
    /// A field is missing, repeated or of the wrong type.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `T::deserialize`, for a [`FromMap`] model.
///
/// # Errors
/// Not an object, or what [`FromMap::from_map`] returns.
pub fn deserialize<'de, D: Deserializer<'de>, T: FromMap>(deserializer: D) -> Result<T, D::Error> {
    struct MapVisitor<T>(PhantomData<T>);
    impl<'de, T: FromMap> Visitor<'de> for MapVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_map(map)
        }
    }
    deserializer.deserialize_map(MapVisitor(PhantomData))
}

/// Reads every entry of `map`: `known(key, map)` reads the value of a field it knows (with
/// `map.next_value()`) and returns true, or returns false without reading it; those values
/// are returned, by key, in arrival order.
///
/// # Errors
/// What `known` or the input returns.
pub fn read_fields<'de, A, F>(mut map: A, mut known: F) -> Result<Map<String, Value>, A::Error>
where
    A: MapAccess<'de>,
    F: FnMut(&str, &mut A) -> Result<bool, A::Error>,
{
    let mut extra = Map::new();
    while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
        if !known(&key, &mut map)? {
            let value: Value = map.next_value()?;
            extra.insert(key.into_owned(), value);
        }
    }
    Ok(extra)
}

/// Stores the value of field `name` in `slot`, read from `map`.
///
/// # Errors
/// The field came twice, or its value does not have `T`'s shape.
pub fn field<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a required field.
///
/// # Errors
/// It was absent.
pub fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::{self, MapAccess};
    use serde_json::{Map, Value, json};

    use super::{FromMap, field, read_fields, required};

    #[derive(Debug, PartialEq)]
    struct Model {
        id: String,
        count: Option<u32>,
        extra: Map<String, Value>,
    }

    impl FromMap for Model {
        const EXPECTING: &'static str = "a model";
        fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let (mut id, mut count) = (None, None);
            let extra = read_fields(map, |key, map| {
                match key {
                    "id" => field(map, &mut id, "id")?,
                    "count" => field(map, &mut count, "count")?,
                    _ => return Ok(false),
                }
                Ok(true)
            })?;
            Ok(Model {
                id: required(id, "id")?,
                count: count.flatten(),
                extra,
            })
        }
    }

    impl<'de> Deserialize<'de> for Model {
        fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize(deserializer)
        }
    }

    #[test]
    fn known_fields_are_typed_and_the_rest_kept_in_order() {
        let text = r#"{"z": [1], "id": "a\"b", "count": null, "y\u0041": {"k": 1}}"#;
        for model in [
            serde_json::from_str::<Model>(text).unwrap(),
            serde_json::from_value::<Model>(serde_json::from_str(text).unwrap()).unwrap(),
        ] {
            assert_eq!(model.id, "a\"b");
            assert_eq!(model.count, None);
            let keys: Vec<_> = model.extra.keys().map(String::as_str).collect();
            assert_eq!(keys, ["z", "yA"]);
            assert_eq!(model.extra["yA"], json!({"k": 1}));
        }
    }

    #[test]
    fn a_missing_duplicate_or_mistyped_field_is_an_error() {
        let error = |text: &str| serde_json::from_str::<Model>(text).unwrap_err().to_string();
        assert!(error(r#"{"count": 1}"#).contains("missing field `id`"));
        assert!(error(r#"{"id": "a", "id": "b"}"#).contains("duplicate field `id`"));
        assert!(error(r#"{"id": 3}"#).contains("invalid type"));
        assert!(error("[]").contains("invalid type"));
    }
}
