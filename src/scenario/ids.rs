//! Typed ids of a scenario's people and session ids: indexes into the scenario's lists,
//! each its own type so that a user cannot be passed where a session id is meant, and
//! "no user" or "the user's own session" is an `Option`, not a sentinel number.
//!
//! Each id is 4 bytes and so is its `Option`: the index is stored plus one in a
//! `NonZeroU32`, whose zero is the niche `None` takes. Visits and events, held by the
//! million, keep their size. Ids order as their indexes do, and print and serialise as
//! their index.

use std::fmt;
use std::num::NonZeroU32;

macro_rules! index_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(NonZeroU32);

        impl $name {
            /// The id of the list entry at `index`. Scenarios hold far fewer entries than
            /// `u32::MAX` (see [`super::limits`]), which the parser enforces.
            #[inline]
            pub fn new(index: usize) -> Self {
                match u32::try_from(index).ok().and_then(|i| NonZeroU32::new(i.wrapping_add(1))) {
                    Some(n) => Self(n),
                    None => panic!(concat!(stringify!($name), " index out of range")),
                }
            }

            /// The index into the scenario's list.
            #[inline]
            pub fn index(self) -> usize {
                (self.0.get() - 1) as usize
            }

            /// The index as a `u32`.
            #[inline]
            pub fn get(self) -> u32 {
                self.0.get() - 1
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.get())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.get())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_u32(self.get())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let i = u32::deserialize(d)?;
                if i == u32::MAX {
                    return Err(serde::de::Error::custom(concat!(
                        stringify!($name),
                        " out of range"
                    )));
                }
                Ok(Self::new(i as usize))
            }
        }
    };
}

index_id!(
    /// A user: an index into `Scenario::users` (explicit users, then cohort members).
    UserId
);

index_id!(
    /// A session id named in the scenario (CORE-2): an index into `Scenario::session_ids`.
    /// A visit without one shares its user's own session (`Visit::session` is `None`).
    SessionId
);

/// What a Qlik Core Session is keyed by (CORE-2): a session id the visits name, or, for a
/// visit that names none, its user's own session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CoreKey {
    Session(SessionId),
    Own(UserId),
}

impl CoreKey {
    /// The key of a visit of `user` naming `session` (or none).
    #[inline]
    pub fn of(user: UserId, session: Option<SessionId>) -> CoreKey {
        session.map_or(CoreKey::Own(user), CoreKey::Session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_optional_id_is_as_small_as_the_id() {
        assert_eq!(std::mem::size_of::<UserId>(), 4);
        assert_eq!(std::mem::size_of::<Option<UserId>>(), 4);
        assert_eq!(std::mem::size_of::<Option<SessionId>>(), 4);
        assert_eq!(std::mem::size_of::<Option<CoreKey>>(), 8);
    }

    #[test]
    fn ids_order_print_and_serialise_as_their_index() {
        let (a, b) = (UserId::new(0), UserId::new(7));
        assert!(a < b);
        assert_eq!((a.index(), b.get()), (0, 7));
        assert_eq!(format!("{b} {b:?}"), "7 UserId(7)");
        assert_eq!(serde_json::to_string(&b).unwrap(), "7");
        assert_eq!(serde_json::from_str::<UserId>("7").unwrap(), b);
        assert!(serde_json::from_str::<UserId>("4294967295").is_err());
    }
}
