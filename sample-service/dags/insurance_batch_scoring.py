"""Nightly batch scoring with the sample service.

Every night, for the run's logical date:
  1. wait until the service reports ready (KServe v2 `GET /v2/health/ready`);
  2. read the day's quote requests, JSON Lines under s3://<bucket>/quotes/<ds>/, one record per line
     keyed by feature name (age, sex, bmi, children, smoker, region);
  3. score them in chunks through the TF Serving REST API (`POST /v1/models/insurance-charges:predict`),
     which the service batches onto the model;
  4. write each record with its predicted `charges` to s3://<bucket>/scores/<ds>/, same file names.

Configuration (Airflow Variables): `sample_service_url` (e.g. http://internal-alb.example:80) and
`insurance_scoring_bucket`. A record the service rejects (HTTP 400) fails the task with the
service's message, which names the offending field.
"""

from __future__ import annotations

import json
import time

import pendulum
import requests
from airflow.decorators import dag, task
from airflow.exceptions import AirflowException
from airflow.models import Variable
from airflow.providers.amazon.aws.hooks.s3 import S3Hook

MODEL = "insurance-charges"
CHUNK_ROWS = 500
REQUEST_TIMEOUT_S = 30


def _service_url() -> str:
    return Variable.get("sample_service_url").rstrip("/")


def _bucket() -> str:
    return Variable.get("insurance_scoring_bucket")


def _predict(session: requests.Session, url: str, records: list[dict]) -> list[float]:
    """One predict call, retried on 503 (a task draining or still warming up) and connection errors."""
    for attempt in range(5):
        try:
            response = session.post(
                f"{url}/v1/models/{MODEL}:predict", json={"instances": records}, timeout=REQUEST_TIMEOUT_S
            )
        except requests.ConnectionError:
            if attempt == 4:
                raise
        else:
            if response.status_code == 200:
                return [row[0] for row in response.json()["predictions"]]
            if response.status_code != 503:
                raise AirflowException(f"scoring failed with HTTP {response.status_code}: {response.text}")
        time.sleep(2**attempt)
    raise AirflowException("service kept answering 503")


@dag(
    dag_id="insurance_batch_scoring",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": pendulum.duration(minutes=5)},
    tags=["sample-service", "scoring"],
)
def insurance_batch_scoring():
    @task
    def wait_for_service() -> None:
        url = _service_url()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/v2/health/ready", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(10)
        raise AirflowException(f"{url} did not report ready within 5 minutes")

    @task
    def list_inputs(ds=None) -> list[str]:
        keys = S3Hook().list_keys(bucket_name=_bucket(), prefix=f"quotes/{ds}/") or []
        return [key for key in keys if key.endswith(".jsonl")]

    @task
    def score(key: str, ds=None) -> dict:
        hook = S3Hook()
        bucket = _bucket()
        records = [json.loads(line) for line in hook.read_key(key, bucket_name=bucket).splitlines() if line.strip()]
        url = _service_url()
        charges: list[float] = []
        with requests.Session() as session:
            for start in range(0, len(records), CHUNK_ROWS):
                charges.extend(_predict(session, url, records[start : start + CHUNK_ROWS]))
        output = "".join(json.dumps({**record, "charges": value}) + "\n" for record, value in zip(records, charges))
        target = key.replace("quotes/", "scores/", 1)
        hook.load_string(output, key=target, bucket_name=bucket, replace=True)
        return {"input": key, "output": target, "rows": len(records)}

    ready = wait_for_service()
    inputs = list_inputs()
    ready >> inputs
    score.expand(key=inputs)


insurance_batch_scoring()
