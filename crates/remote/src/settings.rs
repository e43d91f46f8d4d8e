//! `[storage]` in the config: which environment variables hold the endpoint and the
//! credentials (never the values), where the local cache lives, how long a lease lasts.
//!
//! Without `[storage]` the client reads the usual variables itself (`AWS_ENDPOINT_URL`,
//! `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`,
//! `AWS_ALLOW_HTTP`, and the container credentials of ECS/EKS).

use std::path::PathBuf;
use std::time::Duration;

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::{BackoffConfig, RetryConfig};
use serde::Deserialize;

/// The lease lasts this long after its last renewal unless `[storage] lease_ttl_secs` or
/// `MYNAWATCH_LEASE_TTL_SECS` says otherwise.
pub const DEFAULT_LEASE_TTL_SECS: u64 = 120;

/// `[storage]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSettings {
    /// The variable holding the endpoint URL (S3-compatible servers), e.g. `"MINIO_URL"`.
    pub endpoint_env: Option<String>,
    /// The variable holding the region.
    pub region_env: Option<String>,
    /// The variable holding the access key id.
    pub access_key_id_env: Option<String>,
    /// The variable holding the secret access key.
    pub secret_access_key_env: Option<String>,
    /// The variable holding a session token.
    pub session_token_env: Option<String>,
    /// Allow `http://` endpoints (a server on loopback or inside the cluster).
    pub allow_http: Option<bool>,
    /// Where the local cache lives (default: `MYNAWATCH_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/mynawatch`, else `~/.cache/mynawatch`).
    pub cache_dir: Option<PathBuf>,
    /// Seconds a lease lasts after its last renewal (default 120; renewed every third).
    pub lease_ttl_secs: Option<u64>,
}

impl StorageSettings {
    /// The S3 client for `bucket`.
    pub(crate) fn build_s3(&self, bucket: &str) -> Result<AmazonS3, String> {
        let mut b = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_retry(RetryConfig {
                backoff: BackoffConfig {
                    init_backoff: Duration::from_millis(100),
                    max_backoff: Duration::from_secs(4),
                    base: 2.0,
                },
                max_retries: 4,
                retry_timeout: Duration::from_secs(30),
            });
        let var = |field: &str, name: &Option<String>| -> Result<Option<String>, String> {
            match name {
                None => Ok(None),
                Some(n) => std::env::var(n).map(Some).map_err(|_| {
                    format!(
                        "[storage] {field} names the environment variable {n}, which is not set"
                    )
                }),
            }
        };
        if let Some(v) = var("endpoint_env", &self.endpoint_env)? {
            b = b.with_endpoint(v);
        }
        if let Some(v) = var("region_env", &self.region_env)? {
            b = b.with_region(v);
        }
        if let Some(v) = var("access_key_id_env", &self.access_key_id_env)? {
            b = b.with_access_key_id(v);
        }
        if let Some(v) = var("secret_access_key_env", &self.secret_access_key_env)? {
            b = b.with_secret_access_key(v);
        }
        if let Some(v) = var("session_token_env", &self.session_token_env)? {
            b = b.with_token(v);
        }
        if let Some(allow) = self.allow_http {
            b = b.with_allow_http(allow);
        }
        b.build().map_err(|e| crate::error_chain(&e))
    }

    /// The folder holding every bucket's cache.
    pub(crate) fn cache_root(&self) -> PathBuf {
        if let Some(d) = &self.cache_dir {
            return d.clone();
        }
        if let Some(d) = std::env::var_os("MYNAWATCH_CACHE_DIR") {
            return PathBuf::from(d);
        }
        if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
            return PathBuf::from(d).join("mynawatch");
        }
        match std::env::var_os("HOME") {
            Some(h) => PathBuf::from(h).join(".cache").join("mynawatch"),
            None => std::env::temp_dir().join("mynawatch-cache"),
        }
    }

    pub(crate) fn lease_ttl(&self) -> Duration {
        let secs = self
            .lease_ttl_secs
            .or_else(|| {
                std::env::var("MYNAWATCH_LEASE_TTL_SECS")
                    .ok()
                    .and_then(|v| v.parse().ok())
            })
            .unwrap_or(DEFAULT_LEASE_TTL_SECS)
            .max(1);
        Duration::from_secs(secs)
    }
}
