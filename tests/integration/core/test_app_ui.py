"""The application web UI serves Spark's REST API for the running context."""
from __future__ import annotations

import json
import operator
import urllib.error
import urllib.request

import pytest

from pyspk import SparkConf, SparkContext


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.load(r)


def test_rest_api_reports_jobs_stages_and_executors() -> None:
    conf = SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("ui-test") \
        .set("spark.authenticate.secret", "hidden")
    with SparkContext(conf=conf) as sc:
        sc.parallelize(range(100), 4).map(lambda x: (x % 3, 1)).reduceByKey(operator.add).count()
        with pytest.raises(Exception):
            sc.parallelize([0], 1).map(lambda x: 1 / x).collect()
        base = f"{sc.uiWebUrl}/api/v1/applications"
        apps = _get(base)
        assert [a["id"] for a in apps] == [sc.applicationId] and apps[0]["name"] == "ui-test"
        jobs = _get(f"{base}/{sc.applicationId}/jobs")
        assert [j["status"] for j in jobs] == ["FAILED", "SUCCEEDED"]
        ok = jobs[1]
        assert ok["numTasks"] == ok["numCompletedTasks"] == 8 and ok["numCompletedStages"] == 2
        assert ok["name"].startswith("count at test_app_ui.py:")
        assert ok["submissionTime"].endswith("GMT")
        assert {s["status"] for s in _get(f"{base}/{sc.applicationId}/stages")} == \
            {"COMPLETE", "FAILED"}
        assert {e["id"] for e in _get(f"{base}/{sc.applicationId}/executors")} == {"0", "1"}
        props = dict(_get(f"{base}/{sc.applicationId}/environment")["sparkProperties"])
        assert props["spark.app.name"] == "ui-test"
        assert props["spark.authenticate.secret"] == "*********(redacted)"
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(urllib.request.Request(sc.uiWebUrl, data=b"x"), timeout=5)


def test_ui_can_be_disabled() -> None:
    conf = SparkConf(loadDefaults=False).setMaster("local[1]").setAppName("no-ui") \
        .set("spark.ui.enabled", "false")
    with SparkContext(conf=conf) as sc:
        assert sc.uiWebUrl is None
