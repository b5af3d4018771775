"""The shipped examples submitted with ``spark-submit --master spark://…`` to a master and two
one-core workers started by ``sbin/start-all.sh``: each prints what PySpark printed on local[2]."""
from __future__ import annotations

import importlib.util

import pytest

from cluster_support import ROOT, SbinCluster, get_json, wait_for


def _local_expectations():
    """CASES and EXPECTED of the local[2] examples test (PySpark's outputs), loaded by path."""
    spec = importlib.util.spec_from_file_location(
        "cli_examples_expectations", ROOT / "tests" / "integration" / "test_cli_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.CASES, module.EXPECTED


CASES, EXPECTED = _local_expectations()

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    c = SbinCluster(tmp_path_factory.mktemp("examples"))
    (c.conf_dir / "spark-env.sh").write_text("SPARK_WORKER_CORES=1\nSPARK_WORKER_MEMORY=1g\n"
                                            "SPARK_WORKER_INSTANCES=2\n")
    try:
        assert c.run("start-all.sh").returncode == 0
        wait_for(lambda: get_json(c.webui)["aliveworkers"] == 2, what="two workers")
        yield c
        assert c.run("stop-all.sh").returncode == 0
    finally:
        c.kill_all()


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_on_a_standalone_cluster(cluster: SbinCluster, name: str):
    script, *args = CASES[name]
    result = cluster.submit("--executor-memory", "512m", str(ROOT / "examples" / script), *args,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout == EXPECTED[name]
