//! JSON shapes that more than one service serves, drawn once here rather
//! than in one service that the others would then import: the Hydra
//! message (Hydra, webhooks and the conversation service's `GET messages`),
//! the Hydra attachment action (Hydra, webhooks and the conversation
//! service's `GET attachment/actions`) and the service catalog (U2C, and
//! every WDM device answer).
//!
//! Views read the world and the kit, never a service.

pub(crate) mod attachment_action;
pub(crate) mod catalog;
pub(crate) mod meeting_urls;
pub(crate) mod message;

pub(crate) use attachment_action::{action_json, visible_action_json};
pub(crate) use message::message_json;
