//! The run lock on object storage: `run.lease`.
//!
//! Taken with create-if-absent. When it exists, its age is read from the server's
//! `Last-Modified` (compared with this machine's clock: a skewed clock only moves the
//! moment a takeover happens, because the commit log, not the lease, is what keeps two
//! runs from both committing). A lease younger than its ttl refuses the run (exit 4); an
//! older one is taken over with if-match on the ETag read, so of two runs taking over the
//! same dead lease only one wins. The holder renews it with if-match every third of the
//! ttl, confirms it once more right before its commit, and deletes it on exit.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, UpdateVersion};
use serde::{Deserialize, Serialize};
use tracing::{info, warn};

use crate::{Remote, RemoteError};

const LEASE: &str = "run.lease";

/// What the lease object says about its holder.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Holder {
    holder: String,
    host: String,
    pid: u32,
    acquired_at: chrono::DateTime<chrono::Utc>,
    ttl_secs: u64,
    /// Unique per acquisition: tells this run's own (retried) write from another's.
    nonce: String,
}

/// A held lease; renewed in the background until [`Lease::release`] (or drop).
pub struct Lease {
    remote: Remote,
    key: Key,
    etag: Arc<Mutex<Option<String>>>,
    lost: Arc<AtomicBool>,
    renewer: tokio::task::JoinHandle<()>,
    body: Vec<u8>,
}

impl std::fmt::Debug for Lease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lease").field("key", &self.key).finish()
    }
}

impl Lease {
    /// Take the lease of `remote` for `holder` (a run or command id, for the refusal message).
    pub async fn acquire(remote: &Remote, holder: &str) -> Result<Lease, RemoteError> {
        let key = remote.key(LEASE);
        let me = Holder {
            holder: holder.to_string(),
            host: hostname(),
            pid: std::process::id(),
            acquired_at: chrono::Utc::now(),
            ttl_secs: remote.lease_ttl.as_secs(),
            nonce: format!("{:016x}", rand::random::<u64>()),
        };
        let body = serde_json::to_vec_pretty(&me).expect("a lease serializes");
        let created = remote
            .store
            .put_opts(
                &key,
                PutPayload::from(body.clone()),
                PutOptions::from(PutMode::Create),
            )
            .await;
        let etag = match created {
            Ok(r) => r.e_tag,
            Err(object_store::Error::AlreadyExists { .. }) => {
                take_over(remote, &key, &me, &body).await?
            }
            Err(e) => return Err(remote.storage_err("create lease", &key, e)),
        };
        let etag = Arc::new(Mutex::new(etag));
        let lost = Arc::new(AtomicBool::new(false));
        let renewer = tokio::spawn(renew_loop(
            remote.clone(),
            key.clone(),
            body.clone(),
            etag.clone(),
            lost.clone(),
        ));
        Ok(Lease {
            remote: remote.clone(),
            key,
            etag,
            lost,
            renewer,
            body,
        })
    }

    /// Renew now; an error means the lease is no longer this run's (or cannot be shown to
    /// be), so the caller must not commit.
    pub async fn confirm(&self) -> Result<(), RemoteError> {
        if self.lost.load(Ordering::SeqCst) {
            return Err(self.lost_err("a renewal found it taken over"));
        }
        match renew(&self.remote, &self.key, &self.body, &self.etag).await {
            Ok(()) => Ok(()),
            Err(object_store::Error::Precondition { .. })
            | Err(object_store::Error::NotFound { .. }) => {
                self.lost.store(true, Ordering::SeqCst);
                Err(self.lost_err("another run took it over"))
            }
            Err(e) => Err(self.remote.storage_err("renew lease", &self.key, e)),
        }
    }

    fn lost_err(&self, detail: &str) -> RemoteError {
        RemoteError::LeaseLost {
            url: self.remote.url.clone(),
            detail: detail.to_string(),
        }
    }

    /// Stop renewing and delete the lease if it is still this run's. A failure only
    /// leaves the lease to expire.
    pub async fn release(self) {
        self.renewer.abort();
        let held = self.etag.lock().expect("lease etag").clone();
        match self.remote.store.head(&self.key).await {
            Ok(meta) if meta.e_tag.is_some() && meta.e_tag == held => {
                if let Err(e) = self.remote.store.delete(&self.key).await {
                    warn!(url = %self.remote.url, error = %crate::error_chain(&e), "could not release the lease; it expires by itself");
                }
            }
            Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => {
                warn!(url = %self.remote.url, error = %crate::error_chain(&e), "could not release the lease; it expires by itself")
            }
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.renewer.abort();
    }
}

/// The lease exists: refuse (it is live), or take it over (it expired).
async fn take_over(
    remote: &Remote,
    key: &Key,
    me: &Holder,
    body: &[u8],
) -> Result<Option<String>, RemoteError> {
    let got = match remote.store.get(key).await {
        Ok(g) => g,
        // Released between our create and this read: try once more from the start.
        Err(object_store::Error::NotFound { .. }) => {
            return match remote
                .store
                .put_opts(
                    key,
                    PutPayload::from(body.to_vec()),
                    PutOptions::from(PutMode::Create),
                )
                .await
            {
                Ok(r) => Ok(r.e_tag),
                Err(object_store::Error::AlreadyExists { .. }) => Err(held(remote, None, 0)),
                Err(e) => Err(remote.storage_err("create lease", key, e)),
            };
        }
        Err(e) => return Err(remote.storage_err("read lease", key, e)),
    };
    let meta = got.meta.clone();
    let bytes = got
        .bytes()
        .await
        .map_err(|e| remote.storage_err("read lease", key, e))?;
    let other: Option<Holder> = serde_json::from_slice(&bytes).ok();
    if other.as_ref().is_some_and(|o| o.nonce == me.nonce) {
        // Our own create, stored before its reply was lost and retried.
        return Ok(meta.e_tag);
    }
    let ttl = other
        .as_ref()
        .map_or(remote.lease_ttl.as_secs(), |o| o.ttl_secs) as i64;
    let age = (chrono::Utc::now() - meta.last_modified).num_seconds();
    if age < ttl {
        return Err(held(remote, other.as_ref(), ttl - age));
    }
    let Some(e_tag) = meta.e_tag.clone() else {
        return Err(RemoteError::Invalid {
            url: remote.url.clone(),
            message: "the server gave the lease no ETag; conditional writes are required".into(),
        });
    };
    match remote
        .store
        .put_opts(
            key,
            PutPayload::from(body.to_vec()),
            PutOptions::from(PutMode::Update(UpdateVersion {
                e_tag: Some(e_tag),
                version: meta.version.clone(),
            })),
        )
        .await
    {
        Ok(r) => {
            warn!(
                url = %remote.url,
                expired = other.as_ref().map(|o| o.holder.as_str()).unwrap_or("?"),
                age_s = age,
                "took over an expired lease (its run was killed or lost its connection)"
            );
            Ok(r.e_tag)
        }
        Err(object_store::Error::Precondition { .. }) => Err(held(remote, None, ttl)),
        Err(e) => Err(remote.storage_err("take over lease", key, e)),
    }
}

fn held(remote: &Remote, other: Option<&Holder>, expires_in_s: i64) -> RemoteError {
    RemoteError::LeaseHeld {
        url: remote.url.clone(),
        holder: other.map_or_else(
            || "another run, just now".to_string(),
            |o| format!("{} on {} pid {}", o.holder, o.host, o.pid),
        ),
        expires_in_s,
    }
}

async fn renew(
    remote: &Remote,
    key: &Key,
    body: &[u8],
    etag: &Mutex<Option<String>>,
) -> Result<(), object_store::Error> {
    let current = etag.lock().expect("lease etag").clone();
    let r = remote
        .store
        .put_opts(
            key,
            PutPayload::from(body.to_vec()),
            PutOptions::from(PutMode::Update(UpdateVersion {
                e_tag: current,
                version: None,
            })),
        )
        .await;
    match r {
        Ok(r) => {
            *etag.lock().expect("lease etag") = r.e_tag;
            Ok(())
        }
        // A retried renewal whose first try was applied: the object is ours if it holds
        // our body (the nonce is in it).
        Err(object_store::Error::Precondition { .. }) => match remote.store.get(key).await {
            Ok(g) => {
                let tag = g.meta.e_tag.clone();
                let b = g.bytes().await?;
                if b.as_ref() == body {
                    *etag.lock().expect("lease etag") = tag;
                    Ok(())
                } else {
                    Err(object_store::Error::Precondition {
                        path: key.to_string(),
                        source: "the lease holds another run".into(),
                    })
                }
            }
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    }
}

async fn renew_loop(
    remote: Remote,
    key: Key,
    body: Vec<u8>,
    etag: Arc<Mutex<Option<String>>>,
    lost: Arc<AtomicBool>,
) {
    let every = (remote.lease_ttl / 3).max(Duration::from_millis(300));
    let mut last_ok = tokio::time::Instant::now();
    loop {
        tokio::time::sleep(every).await;
        match renew(&remote, &key, &body, &etag).await {
            Ok(()) => last_ok = tokio::time::Instant::now(),
            Err(object_store::Error::Precondition { .. })
            | Err(object_store::Error::NotFound { .. }) => {
                warn!(url = %remote.url, "the lease was taken over by another run; this run will not commit");
                lost.store(true, Ordering::SeqCst);
                return;
            }
            Err(e) => {
                warn!(url = %remote.url, error = %crate::error_chain(&e), "could not renew the lease; retrying");
                if last_ok.elapsed() >= remote.lease_ttl {
                    info!(url = %remote.url, "the lease expired before it could be renewed");
                    lost.store(true, Ordering::SeqCst);
                    return;
                }
            }
        }
    }
}

fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
        })
        .unwrap_or_else(|| "unknown-host".into())
}
