//! End-to-end tests of the emulator's HTTP surface, through a real HTTP
//! client. One test binary with several modules, to link only once.

mod attachment_actions;
mod binary;
mod calls;
mod catalog;
mod client;
mod client_logs;
mod client_numbers;
mod console;
mod content_types;
mod conversation;
mod cors;
mod datachannel;
mod devices;
mod direct_messages;
mod faults;
mod files;
mod locus_faults;
mod media_peer;
mod media_server;
mod media_video;
mod meeting_client;
mod meeting_info;
mod meeting_roles;
mod meetings;
mod memberships;
mod mercury;
mod mercury_burst;
mod mercury_faults;
mod messages;
mod oauth;
mod oauth_errors;
mod oauth_guest;
mod oauth_session;
mod pagination;
mod people;
#[path = "../support/process.rs"]
mod process;
mod reachability;
mod rooms;
mod teams;
mod tls;
mod tls_binary;
mod tracking;
mod upload_limits;
mod webhooks;
