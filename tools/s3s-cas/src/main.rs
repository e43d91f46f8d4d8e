//! s3s-cas: s3s-fs 0.14.1 (file-backed S3) + three fixes for use as a loopback test server:
//!  1. all mutating requests are serialised by one mutex, so If-None-Match:* / If-Match
//!     check-then-rename becomes atomic (s3s-fs alone lets two racing writers both win);
//!  2. HEAD/GET of a key that is a directory on disk (a "prefix") -> 404 NoSuchKey, not 500;
//!  3. suffix range longer than the object (bytes=-65536 on a 1 KB parquet) -> whole object, not 500;
//!  4. PUT into a bucket that does not exist -> 404 NoSuchBucket (s3s-fs creates the directory).
//! Usage: s3s-cas --host 127.0.0.1 --port 9000 --access-key AK --secret-key SK ROOT
use std::path::PathBuf;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::auth::SimpleAuth;
use s3s::dto::*;
use s3s::service::S3ServiceBuilder;
use s3s::{S3, S3Request, S3Response, S3Result, s3_error};
use s3s_fs::FileSystem;
use tokio::sync::Mutex;

struct Cas {
    inner: FileSystem,
    root: PathBuf,
    write_lock: Mutex<()>,
}

impl Cas {
    fn is_dir(&self, bucket: &str, key: &str) -> bool {
        !key.is_empty() && !key.ends_with('/') && self.root.join(bucket).join(key).is_dir()
    }
}


#[async_trait::async_trait]
impl S3 for Cas {
    async fn create_bucket(&self, req: S3Request<CreateBucketInput>) -> S3Result<S3Response<CreateBucketOutput>> {
        self.inner.create_bucket(req).await
    }
    async fn delete_bucket(&self, req: S3Request<DeleteBucketInput>) -> S3Result<S3Response<DeleteBucketOutput>> {
        self.inner.delete_bucket(req).await
    }
    async fn get_bucket_location(&self, req: S3Request<GetBucketLocationInput>) -> S3Result<S3Response<GetBucketLocationOutput>> {
        self.inner.get_bucket_location(req).await
    }
    async fn head_bucket(&self, req: S3Request<HeadBucketInput>) -> S3Result<S3Response<HeadBucketOutput>> {
        self.inner.head_bucket(req).await
    }
    async fn list_buckets(&self, req: S3Request<ListBucketsInput>) -> S3Result<S3Response<ListBucketsOutput>> {
        self.inner.list_buckets(req).await
    }
    async fn list_objects(&self, req: S3Request<ListObjectsInput>) -> S3Result<S3Response<ListObjectsOutput>> {
        self.inner.list_objects(req).await
    }
    async fn list_objects_v2(&self, req: S3Request<ListObjectsV2Input>) -> S3Result<S3Response<ListObjectsV2Output>> {
        self.inner.list_objects_v2(req).await
    }
    async fn create_multipart_upload(&self, req: S3Request<CreateMultipartUploadInput>) -> S3Result<S3Response<CreateMultipartUploadOutput>> {
        self.inner.create_multipart_upload(req).await
    }
    async fn upload_part(&self, req: S3Request<UploadPartInput>) -> S3Result<S3Response<UploadPartOutput>> {
        self.inner.upload_part(req).await
    }
    async fn upload_part_copy(&self, req: S3Request<UploadPartCopyInput>) -> S3Result<S3Response<UploadPartCopyOutput>> {
        self.inner.upload_part_copy(req).await
    }
    async fn list_parts(&self, req: S3Request<ListPartsInput>) -> S3Result<S3Response<ListPartsOutput>> {
        self.inner.list_parts(req).await
    }
    async fn abort_multipart_upload(&self, req: S3Request<AbortMultipartUploadInput>) -> S3Result<S3Response<AbortMultipartUploadOutput>> {
        self.inner.abort_multipart_upload(req).await
    }
    async fn put_object(&self, req: S3Request<PutObjectInput>) -> S3Result<S3Response<PutObjectOutput>> {
        // s3s-fs would silently create a missing bucket directory
        if !self.root.join(&req.input.bucket).is_dir() {
            return Err(s3_error!(NoSuchBucket));
        }
        let _g = self.write_lock.lock().await;
        self.inner.put_object(req).await
    }
    async fn copy_object(&self, req: S3Request<CopyObjectInput>) -> S3Result<S3Response<CopyObjectOutput>> {
        let _g = self.write_lock.lock().await;
        self.inner.copy_object(req).await
    }
    async fn complete_multipart_upload(&self, req: S3Request<CompleteMultipartUploadInput>) -> S3Result<S3Response<CompleteMultipartUploadOutput>> {
        let _g = self.write_lock.lock().await;
        self.inner.complete_multipart_upload(req).await
    }
    async fn delete_object(&self, req: S3Request<DeleteObjectInput>) -> S3Result<S3Response<DeleteObjectOutput>> {
        let _g = self.write_lock.lock().await;
        self.inner.delete_object(req).await
    }
    async fn delete_objects(&self, req: S3Request<DeleteObjectsInput>) -> S3Result<S3Response<DeleteObjectsOutput>> {
        let _g = self.write_lock.lock().await;
        self.inner.delete_objects(req).await
    }

    async fn head_object(&self, req: S3Request<HeadObjectInput>) -> S3Result<S3Response<HeadObjectOutput>> {
        if self.is_dir(&req.input.bucket, &req.input.key) {
            return Err(s3_error!(NoSuchKey));
        }
        self.inner.head_object(req).await
    }

    async fn get_object(&self, mut req: S3Request<GetObjectInput>) -> S3Result<S3Response<GetObjectOutput>> {
        if self.is_dir(&req.input.bucket, &req.input.key) {
            return Err(s3_error!(NoSuchKey));
        }
        if let Some(Range::Suffix { length }) = req.input.range {
            let p = self.root.join(&req.input.bucket).join(&req.input.key);
            if let Ok(m) = std::fs::metadata(&p) {
                if length >= m.len() && m.len() > 0 {
                    req.input.range = Some(Range::Int { first: 0, last: None });
                }
            }
        }
        self.inner.get_object(req).await
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let host = arg(&args, "--host").unwrap_or("127.0.0.1".into());
    let port: u16 = arg(&args, "--port").unwrap_or("8014".into()).parse()?;
    let root = std::fs::canonicalize(args.last().ok_or("ROOT missing")?)?;
    let cas = Cas { inner: FileSystem::new(&root).map_err(|e| format!("{e:?}"))?, root, write_lock: Mutex::new(()) };
    let mut b = S3ServiceBuilder::new(cas);
    if let (Some(ak), Some(sk)) = (arg(&args, "--access-key"), arg(&args, "--secret-key")) {
        b.set_auth(SimpleAuth::from_single(ak, sk));
    }
    let service = b.build();
    let listener = tokio::net::TcpListener::bind((host.as_str(), port)).await?;
    eprintln!("s3s-cas listening on http://{}", listener.local_addr()?);
    let http = ConnBuilder::new(TokioExecutor::new());
    loop {
        let (sock, _) = listener.accept().await?;
        let conn = http.serve_connection(TokioIo::new(sock), service.clone()).into_owned();
        tokio::spawn(async move { let _ = conn.await; });
    }
}
