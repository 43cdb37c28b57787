//! Which connection an event concerns, beside the event log: the lives view
//! (`report::lives`) draws one bar per connection and needs to tell the connections of one
//! user apart where the events alone cannot (an anonymous user's parallel connections on
//! one device, a Qlik Core connection, whose opening event is its Core Session).
//!
//! Kept only when asked ([`Simulation::keep_links`]), never copied into checkpoints, and
//! never changes an event or the state: the log and every output stay the same.

use super::*;

/// One event that concerns one connection. Connections are numbered in the order they
/// open (0, 1, 2, …); a connection's first link is its opening event (`Connected`,
/// `PassConsumed`, `PassReused`, `CoreJoined` or `CoreSession`), its `Disconnected` is
/// linked too, and so are the events in between that are its own: another tab
/// (`TabMerged`), an anonymous connection's renewal (`PassConsumed`), a per-device
/// capacity block (`CapacityBlock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// Index into the event log.
    pub event: u32,
    /// The connection's number, in order of opening.
    pub connection: u32,
    /// The connection's device (index into `Scenario::devices`): a Core connection's
    /// opening event does not name it.
    pub device: u32,
}

/// The links of a recording run.
#[derive(Debug, Default)]
pub(super) struct Links(Option<LinkLog>);

#[derive(Debug, Default)]
pub(super) struct LinkLog {
    links: Vec<Link>,
    /// The number and device of the connection in each slot of `Connections` (slots are
    /// reused).
    number_of_slot: Vec<(u32, u32)>,
    opened: u32,
}

impl Clone for Links {
    /// A checkpoint keeps no links (as it keeps no log).
    fn clone(&self) -> Self {
        Links(None)
    }
}

impl Simulation {
    /// Keeps the links of every connection event from now on (call before the first
    /// event, with the log recording).
    pub fn keep_links(&mut self) {
        if self.links.0.is_none() {
            self.links.0 = Some(LinkLog::default());
        }
    }

    /// Takes the links out of the simulation (empty when not kept).
    pub fn take_links(&mut self) -> Vec<Link> {
        self.links
            .0
            .as_mut()
            .map(|l| std::mem::take(&mut l.links))
            .unwrap_or_default()
    }

    fn log_len(&self) -> u32 {
        self.log.0.as_ref().map_or(0, |l| l.len() as u32)
    }

    /// A connection opened in `slot`: the next event emitted is its opening event.
    pub(super) fn link_opened(&mut self, slot: u32) {
        if self.links.0.is_none() {
            return;
        }
        let event = self.log_len();
        let device = self.conns.get(slot).device;
        let Some(l) = &mut self.links.0 else { return };
        let number = l.opened;
        l.opened += 1;
        let slot = slot as usize;
        if l.number_of_slot.len() <= slot {
            l.number_of_slot.resize(slot + 1, (u32::MAX, 0));
        }
        l.number_of_slot[slot] = (number, device);
        l.links.push(Link {
            event,
            connection: number,
            device,
        });
    }

    /// The next event emitted concerns the connection in `slot`.
    pub(super) fn link_next(&mut self, slot: u32) {
        let event = self.log_len();
        self.push_link(slot, event);
    }

    /// The event just emitted concerns the connection in `slot`.
    pub(super) fn link_last(&mut self, slot: u32) {
        let Some(event) = self.log_len().checked_sub(1) else {
            return;
        };
        self.push_link(slot, event);
    }

    fn push_link(&mut self, slot: u32, event: u32) {
        let Some(l) = &mut self.links.0 else { return };
        if let Some(&(connection, device)) = l.number_of_slot.get(slot as usize) {
            l.links.push(Link {
                event,
                connection,
                device,
            });
        }
    }
}
