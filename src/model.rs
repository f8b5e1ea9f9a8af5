//! The small vocabulary shared by the whole domain: who a notification is for, which life event it
//! concerns, which channel carries it and which OpenCRVS contract applies. Kept apart so that the
//! catalogue, the contract and the checks agree on one spelling of each value.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Who receives a notification: staff ("user") or the person who declared an event ("informant").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Informant,
    User,
}

/// The life event an informant notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    Birth,
    Death,
    Marriage,
}

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Sms,
    Email,
}

/// Which OpenCRVS release's contract (keys and variables) the catalogue is written against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Profile {
    #[serde(rename = "1.5")]
    V1_5,
    #[serde(rename = "1.9")]
    V1_9,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Informant => "informant",
            Audience::User => "user",
        }
    }
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Birth => "birth",
            Event::Death => "death",
            Event::Marriage => "marriage",
        }
    }
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::V1_5 => "1.5",
            Profile::V1_9 => "1.9",
        }
    }

    pub fn parse(text: &str) -> Option<Profile> {
        match text {
            "1.5" => Some(Profile::V1_5),
            "1.9" => Some(Profile::V1_9),
            _ => None,
        }
    }
}

macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}
display_as_str!(Audience, Event, Channel, Profile);
