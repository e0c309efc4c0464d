//! A small per-key cache for remote market data. A key is refreshed at most once per TTL after
//! a success, and once per retry interval after a failure; callers that miss at the same moment
//! wait for the one refresh in flight (a tokio mutex per key) instead of each asking the
//! provider. A failed refresh keeps the last value the key had, unchanged, so callers still see
//! when it was true.
//!
//! Keys are bounded by the caller (here: symbols of the built-in universe), so entries are never
//! evicted.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

pub struct Cache<K, V> {
    slots: Mutex<HashMap<K, Arc<tokio::sync::Mutex<Slot<V>>>>>,
}

struct Slot<V> {
    /// The last value a refresh produced.
    value: Option<V>,
    /// Until when the outcome of the last refresh stands.
    fresh_until: Option<Instant>,
}

impl<K: Eq + Hash + Clone, V: Clone> Cache<K, V> {
    pub fn new() -> Cache<K, V> {
        Cache { slots: Mutex::new(HashMap::new()) }
    }

    /// The value of `key`: as cached within `ttl` of a successful refresh or `retry` of a failed
    /// one; otherwise what `refresh` returns, or — when it returns `None` — the last value, if
    /// there ever was one.
    pub async fn get<F, Fut>(&self, key: &K, ttl: Duration, retry: Duration, refresh: F) -> Option<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Option<V>>,
    {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            slots
                .entry(key.clone())
                .or_insert_with(|| Arc::new(tokio::sync::Mutex::new(Slot { value: None, fresh_until: None })))
                .clone()
        };
        // Held across the refresh: concurrent misses queue here and then find the fresh value.
        let mut slot = slot.lock().await;
        if slot.fresh_until.is_some_and(|until| Instant::now() < until) {
            return slot.value.clone();
        }
        let refreshed = refresh().await;
        slot.fresh_until = Some(Instant::now() + if refreshed.is_some() { ttl } else { retry });
        if refreshed.is_some() {
            slot.value = refreshed;
        }
        slot.value.clone()
    }
}

impl<K: Eq + Hash + Clone, V: Clone> Default for Cache<K, V> {
    fn default() -> Self {
        Cache::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_fresh_value_is_reused_and_a_failure_keeps_the_last_one() {
        let cache: Cache<&str, u32> = Cache::new();
        let calls = AtomicUsize::new(0);
        let refresh = |answer: Option<u32>| {
            calls.fetch_add(1, Ordering::SeqCst);
            async move { answer }
        };
        let (minute, zero) = (Duration::from_secs(60), Duration::ZERO);
        assert_eq!(cache.get(&"a", minute, zero, || refresh(Some(1))).await, Some(1));
        assert_eq!(cache.get(&"a", minute, zero, || refresh(Some(2))).await, Some(1), "cached");
        assert_eq!(cache.get(&"b", zero, zero, || refresh(Some(1))).await, Some(1));
        assert_eq!(cache.get(&"b", zero, zero, || refresh(None)).await, Some(1), "last known");
        assert_eq!(cache.get(&"b", zero, zero, || refresh(Some(3))).await, Some(3));
        assert_eq!(cache.get(&"c", zero, zero, || refresh(None)).await, None, "never known");
        assert_eq!(calls.load(Ordering::SeqCst), 5);
    }

    #[tokio::test]
    async fn a_failed_refresh_is_retried_after_the_retry_interval_only() {
        let cache: Cache<&str, u32> = Cache::new();
        let (day, minute, zero) = (Duration::from_secs(86_400), Duration::from_secs(60), Duration::ZERO);
        assert_eq!(cache.get(&"a", day, minute, || async { None }).await, None);
        assert_eq!(cache.get(&"a", day, minute, || async { Some(1) }).await, None, "not retried yet");
        assert_eq!(cache.get(&"b", day, zero, || async { None }).await, None);
        assert_eq!(cache.get(&"b", day, zero, || async { Some(2) }).await, Some(2), "retried at once");
    }

    #[tokio::test]
    async fn concurrent_misses_share_one_refresh() {
        let cache: Arc<Cache<&str, u32>> = Arc::new(Cache::new());
        let calls = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (cache, calls) = (cache.clone(), calls.clone());
                tokio::spawn(async move {
                    cache
                        .get(&"a", Duration::from_secs(60), Duration::ZERO, || async {
                            calls.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Some(7)
                        })
                        .await
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), Some(7));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
