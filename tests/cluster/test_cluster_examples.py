"""The shipped examples submitted with ``spark-submit --master spark://…`` to a master and two
one-core workers started by ``sbin/start-all.sh``: each prints what PySpark printed on local[2]."""
from __future__ import annotations

import pytest

from tests.cluster.conftest import ROOT, get_json, wait_for
from tests.cluster.test_sbin import SbinCluster
from tests.integration.test_cli_examples import CASES, EXPECTED

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
