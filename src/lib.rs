//! crvs-comms: the notifications of an OpenCRVS deployment managed as configuration as code.
//! The library is the domain (catalogue, OpenCRVS contract, templates, checks, reports, SMS
//! encoding, gateways); it knows nothing of the command line and never prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod catalogue;
pub mod check;
pub mod contract;
pub mod countryconfig;
pub mod diff;
pub mod findings;
pub mod gateway;
pub mod git;
pub mod migrate;
pub mod model;
pub mod parallel;
pub mod phone;
pub mod placeholders;
pub mod preview;
pub mod render;
pub mod report;
pub mod sample;
pub mod sms;
pub mod source;
pub mod store;
