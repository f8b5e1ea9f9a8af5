//! crvs-comms: notifications of an OpenCRVS deployment managed as configuration as code.

pub mod gateway;
pub mod phone;
