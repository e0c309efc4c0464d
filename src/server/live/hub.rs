//! In-process fan-out: each user with open streams on this instance has one broadcast channel;
//! the listener sends into it and every stream of that user receives.

use crate::server::live::events::StoredEvent;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::broadcast;
use uuid::Uuid;

/// Events a stream may fall behind by before it re-reads from the database.
const BUFFER: usize = 32;
/// Open streams one user may have on one instance (tabs, devices).
pub const MAX_STREAMS_PER_USER: usize = 32;

/// What a stream receives.
#[derive(Clone, Debug)]
pub enum Delivery {
    Event(Arc<StoredEvent>),
    /// Events may have been missed (the listener reconnected): re-read from the database.
    Resync,
    /// The user signed out somewhere, changed the password or deleted the account: each stream
    /// checks that its own session still holds.
    SignInChanged,
}

#[derive(Default)]
pub struct Hub {
    users: Mutex<HashMap<Uuid, broadcast::Sender<Delivery>>>,
}

impl Hub {
    /// Starts receiving the user's events; dropping the subscription stops. `None` when the user
    /// has [`MAX_STREAMS_PER_USER`] streams here already.
    pub fn subscribe(self: &Arc<Self>, user_id: Uuid) -> Option<Subscription> {
        let mut users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        let sender = users.entry(user_id).or_insert_with(|| broadcast::channel(BUFFER).0);
        if sender.receiver_count() >= MAX_STREAMS_PER_USER {
            return None;
        }
        let receiver = sender.subscribe();
        Some(Subscription { hub: self.clone(), user_id, receiver })
    }

    /// Hands `event` to its user's streams on this instance, if any.
    pub fn deliver(&self, event: StoredEvent) {
        let users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = users.get(&event.user_id) {
            // Err only when every receiver just went away.
            let _ = sender.send(Delivery::Event(Arc::new(event)));
        }
    }

    /// Tells the user's streams on this instance that their sign-in changed.
    pub fn sign_in_changed(&self, user_id: Uuid) {
        let users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = users.get(&user_id) {
            let _ = sender.send(Delivery::SignInChanged);
        }
    }

    /// Tells every stream to re-read what it may have missed.
    pub fn resync_all(&self) {
        let users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        for sender in users.values() {
            let _ = sender.send(Delivery::Resync);
        }
    }

    /// Streams open here, all users together.
    pub fn streams_open(&self) -> usize {
        let users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        users.values().map(broadcast::Sender::receiver_count).sum()
    }

    /// Users with at least one open stream here.
    pub fn users_connected(&self) -> usize {
        self.users.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

/// One stream's receiving end.
pub struct Subscription {
    hub: Arc<Hub>,
    user_id: Uuid,
    receiver: broadcast::Receiver<Delivery>,
}

impl Subscription {
    /// The next delivery; a stream that fell behind is told to resync.
    pub async fn recv(&mut self) -> Delivery {
        match self.receiver.recv().await {
            Ok(delivery) => delivery,
            Err(broadcast::error::RecvError::Lagged(_)) => Delivery::Resync,
            // The hub keeps the sender while this receiver exists, so it cannot close; wait forever.
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut users = self.hub.users.lock().unwrap_or_else(PoisonError::into_inner);
        // This receiver is still counted until the fields drop after this body.
        if users.get(&self.user_id).is_some_and(|sender| sender.receiver_count() <= 1) {
            users.remove(&self.user_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, user_id: Uuid) -> StoredEvent {
        StoredEvent { id, user_id, kind: "trade".into(), payload: serde_json::json!({}) }
    }

    #[tokio::test]
    async fn every_stream_of_a_user_receives_and_other_users_do_not() {
        let hub = Arc::new(Hub::default());
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let subscribe = |user| hub.subscribe(user).expect("under the limit");
        let (mut first, mut second, mut other) = (subscribe(alice), subscribe(alice), subscribe(bob));
        hub.deliver(event(7, alice));
        for stream in [&mut first, &mut second] {
            assert!(matches!(stream.recv().await, Delivery::Event(e) if e.id == 7));
        }
        assert!(other.receiver.try_recv().is_err(), "bob received alice's event");
    }

    #[test]
    fn a_user_leaves_the_hub_when_their_last_stream_closes() {
        let hub = Arc::new(Hub::default());
        let user = Uuid::new_v4();
        let first = hub.subscribe(user).unwrap();
        let second = hub.subscribe(user).unwrap();
        assert_eq!(hub.streams_open(), 2);
        drop(first);
        assert_eq!((hub.users_connected(), hub.streams_open()), (1, 1));
        drop(second);
        assert_eq!((hub.users_connected(), hub.streams_open()), (0, 0));
    }

    #[test]
    fn one_user_cannot_open_more_than_the_limit_of_streams() {
        let hub = Arc::new(Hub::default());
        let user = Uuid::new_v4();
        let open: Vec<Subscription> = (0..MAX_STREAMS_PER_USER).map(|_| hub.subscribe(user).unwrap()).collect();
        assert!(hub.subscribe(user).is_none());
        assert!(hub.subscribe(Uuid::new_v4()).is_some(), "other users are not affected");
        drop(open);
        assert!(hub.subscribe(user).is_some());
    }
}
