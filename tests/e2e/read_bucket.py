"""Read every mynawatch table in place from an S3 bucket with pyarrow and polars.

Used by tests/e2e/object_storage.rs. Argument: one JSON object with `endpoint`
(`http://127.0.0.1:PORT`), `bucket`, `prefix`, `key`, `secret`, and `tables`:
{table: [column, ...]} (the store's declared columns, which docs/tables.md documents).
Prints one JSON object: {table: {"pyarrow": {"rows", "columns"}, "polars": {...}}}.
"""

import json
import sys

import polars as pl
import pyarrow.dataset as ds
from pyarrow import fs as pafs

spec = json.loads(sys.argv[1])
host = spec["endpoint"].split("://", 1)[1]
s3 = pafs.S3FileSystem(
    access_key=spec["key"],
    secret_key=spec["secret"],
    region="us-east-1",
    endpoint_override=host,
    scheme="http",
)
options = {
    "aws_endpoint_url": spec["endpoint"],
    "aws_access_key_id": spec["key"],
    "aws_secret_access_key": spec["secret"],
    "aws_region": "us-east-1",
    "aws_allow_http": "true",
}
root = f"{spec['bucket']}/{spec['prefix']}/tables"
out = {}
for table in spec["tables"]:
    d = ds.dataset(f"{root}/{table}", format="parquet", partitioning="hive", filesystem=s3)
    t = d.to_table()
    df = pl.scan_parquet(
        f"s3://{root}/{table}/**/*.parquet",
        storage_options=options,
        hive_partitioning=True,
    ).collect()
    out[table] = {
        "pyarrow": {"rows": t.num_rows, "columns": t.column_names},
        "polars": {"rows": df.height, "columns": df.columns},
    }
print(json.dumps(out))
