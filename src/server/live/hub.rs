//! In-process fan-out: each user with open streams on this instance has one broadcast channel;
//! the listener sends into it and every stream of that user receives.

use crate::server::live::events::StoredEvent;
use crate::server::platform::config::StreamLimits;
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

/// Events a stream may fall behind by before it re-reads from the database.
const BUFFER: usize = 32;

/// What a stream receives.
#[derive(Clone, Debug)]
pub enum Delivery {
    Event(Arc<StoredEvent>),
    /// Events may have been missed (the listener reconnected): re-read from the database.
    Resync,
    /// The user signed out somewhere, changed the password or deleted the account: each stream
    /// checks that its own session still holds.
    SignInChanged,
    /// A game's standings changed: the streams of its organisers and players tell their pages.
    GameChanged(Uuid),
}

/// How long the hub gathers a game's changes before telling the streams once: a busy game of
/// 500 players sends its open leaderboards at most four reloads a second, not one per fill.
pub const GAME_CHANGES_GATHERED: Duration = Duration::from_millis(250);

pub struct Hub {
    limits: StreamLimits,
    users: Mutex<HashMap<Uuid, broadcast::Sender<Delivery>>>,
    /// Open streams per client address, and in all (under one lock: they change together).
    clients: Mutex<Clients>,
    /// Games whose change is being gathered, to be told once [`GAME_CHANGES_GATHERED`] is over.
    games_changing: Mutex<HashSet<Uuid>>,
}

#[derive(Default)]
struct Clients {
    streams: HashMap<IpAddr, usize>,
    total: usize,
}

/// Why a stream was not opened: the limit it would pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Full {
    User(usize),
    Client(usize),
    Instance(usize),
}

impl Hub {
    pub fn new(limits: StreamLimits) -> Hub {
        Hub { limits, users: Mutex::default(), clients: Mutex::default(), games_changing: Mutex::default() }
    }

    /// Starts receiving the user's events; dropping the subscription stops. Refused when the
    /// user, the client address or this instance holds its limit of streams already.
    pub fn subscribe(self: &Arc<Self>, user_id: Uuid, client: IpAddr) -> Result<Subscription, Full> {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        if clients.total >= self.limits.instance {
            return Err(Full::Instance(self.limits.instance));
        }
        let of_client = clients.streams.get(&client).copied().unwrap_or(0);
        if of_client >= self.limits.per_client {
            return Err(Full::Client(self.limits.per_client));
        }
        let mut users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        let sender = users.entry(user_id).or_insert_with(|| broadcast::channel(BUFFER).0);
        if sender.receiver_count() >= self.limits.per_user {
            return Err(Full::User(self.limits.per_user));
        }
        let receiver = sender.subscribe();
        *clients.streams.entry(client).or_default() += 1;
        clients.total += 1;
        Ok(Subscription { hub: self.clone(), user_id, client, receiver })
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
        self.send_all(&Delivery::Resync);
    }

    /// Tells every stream here, [`GAME_CHANGES_GATHERED`] from now, that game `game_id` changed
    /// (each stream passes it on only when its user is in the game). Changes that arrive
    /// meanwhile are told with it: the pages reload after all of them committed.
    pub fn game_changed(self: &Arc<Self>, game_id: Uuid) {
        if !self.games_changing.lock().unwrap_or_else(PoisonError::into_inner).insert(game_id) {
            return;
        }
        let hub = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(GAME_CHANGES_GATHERED).await;
            hub.games_changing.lock().unwrap_or_else(PoisonError::into_inner).remove(&game_id);
            hub.send_all(&Delivery::GameChanged(game_id));
        });
    }

    fn send_all(&self, delivery: &Delivery) {
        let users = self.users.lock().unwrap_or_else(PoisonError::into_inner);
        for sender in users.values() {
            // Err only when every receiver of that user just went away.
            let _ = sender.send(delivery.clone());
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
    client: IpAddr,
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
        let mut clients = self.hub.clients.lock().unwrap_or_else(PoisonError::into_inner);
        clients.total -= 1;
        if let Some(count) = clients.streams.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                clients.streams.remove(&self.client);
            }
        }
        // The same order as `subscribe` takes them: clients, then users.
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

    const LIMITS: StreamLimits = StreamLimits { per_user: 4, per_client: 6, instance: 8 };

    fn hub() -> Arc<Hub> {
        Arc::new(Hub::new(LIMITS))
    }

    fn client(n: u8) -> IpAddr {
        IpAddr::from([198, 51, 100, n])
    }

    fn event(id: i64, user_id: Uuid) -> StoredEvent {
        StoredEvent { id, user_id, kind: "trade".into(), payload: serde_json::json!({}) }
    }

    #[tokio::test]
    async fn every_stream_of_a_user_receives_and_other_users_do_not() {
        let hub = hub();
        let (alice, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let subscribe = |user| hub.subscribe(user, client(1)).expect("under the limit");
        let (mut first, mut second, mut other) = (subscribe(alice), subscribe(alice), subscribe(bob));
        hub.deliver(event(7, alice));
        for stream in [&mut first, &mut second] {
            assert!(matches!(stream.recv().await, Delivery::Event(e) if e.id == 7));
        }
        assert!(other.receiver.try_recv().is_err(), "bob received alice's event");
    }

    // One thread: the gathering task runs only while the test awaits, and its timer is due first.
    #[tokio::test]
    async fn a_games_changes_are_gathered_into_one_delivery_to_every_stream() {
        let hub = hub();
        let (mut first, mut second) =
            (hub.subscribe(Uuid::new_v4(), client(1)).unwrap(), hub.subscribe(Uuid::new_v4(), client(2)).unwrap());
        let game = Uuid::new_v4();
        for _ in 0..5 {
            hub.game_changed(game);
        }
        assert!(first.receiver.try_recv().is_err(), "told before the changes were gathered");
        tokio::time::sleep(GAME_CHANGES_GATHERED * 2).await;
        for stream in [&mut first, &mut second] {
            assert!(matches!(stream.receiver.try_recv(), Ok(Delivery::GameChanged(g)) if g == game));
            assert!(stream.receiver.try_recv().is_err(), "five changes were told more than once");
        }
        hub.game_changed(game);
        tokio::time::sleep(GAME_CHANGES_GATHERED * 2).await;
        assert!(matches!(first.receiver.try_recv(), Ok(Delivery::GameChanged(_))), "a later change is told again");
    }

    #[test]
    fn a_user_leaves_the_hub_when_their_last_stream_closes() {
        let hub = hub();
        let user = Uuid::new_v4();
        let first = hub.subscribe(user, client(1)).unwrap();
        let second = hub.subscribe(user, client(2)).unwrap();
        assert_eq!(hub.streams_open(), 2);
        drop(first);
        assert_eq!((hub.users_connected(), hub.streams_open()), (1, 1));
        drop(second);
        assert_eq!((hub.users_connected(), hub.streams_open()), (0, 0));
    }

    #[test]
    fn one_user_cannot_open_more_than_the_limit_of_streams() {
        let hub = hub();
        let user = Uuid::new_v4();
        let open: Vec<Subscription> = (0..4).map(|n| hub.subscribe(user, client(n)).unwrap()).collect();
        assert_eq!(hub.subscribe(user, client(9)).err(), Some(Full::User(4)));
        assert!(hub.subscribe(Uuid::new_v4(), client(9)).is_ok(), "other users are not affected");
        drop(open);
        assert!(hub.subscribe(user, client(9)).is_ok());
    }

    #[test]
    fn one_client_address_and_the_instance_have_limits_of_their_own() {
        let hub = hub();
        // Six users behind one address (a classroom's NAT), one stream each: the address is full.
        let classroom: Vec<Subscription> = (0..6).map(|_| hub.subscribe(Uuid::new_v4(), client(1)).unwrap()).collect();
        assert_eq!(hub.subscribe(Uuid::new_v4(), client(1)).err(), Some(Full::Client(6)));
        // Two more from elsewhere fill the instance.
        let others: Vec<Subscription> = (2..4).map(|n| hub.subscribe(Uuid::new_v4(), client(n)).unwrap()).collect();
        assert_eq!(hub.subscribe(Uuid::new_v4(), client(5)).err(), Some(Full::Instance(8)));
        drop(classroom);
        assert_eq!(hub.streams_open(), 2);
        assert!(hub.subscribe(Uuid::new_v4(), client(1)).is_ok(), "closed streams free their places");
        drop(others);
    }
}
