//! End-to-end tests of the emulator's HTTP surface, through a real HTTP
//! client. One test binary with several modules, to link only once.

mod binary;
mod catalog;
mod client;
mod faults;
mod people;
mod tracking;
