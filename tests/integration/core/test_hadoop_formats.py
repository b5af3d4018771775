"""Hadoop formats: SequenceFiles written by Spark 4.3 are read, pyspk's own round-trip with
every Writable PySpark maps to, text formats give Hadoop's records, and unsupported choices
fail naming what is unsupported."""
from __future__ import annotations

import os
import pathlib

import pytest

from pyspk import SparkConf, SparkContext
from pyspk.errors import PySparkValueError

DATA = pathlib.Path(__file__).parent / "data"
SEQ_OUT = "org.apache.hadoop.mapreduce.lib.output.SequenceFileOutputFormat"
SEQ_IN = "org.apache.hadoop.mapreduce.lib.input.SequenceFileInputFormat"
TEXT_OUT = "org.apache.hadoop.mapred.TextOutputFormat"
TEXT_IN = "org.apache.hadoop.mapred.TextInputFormat"
INT, TEXT, LONG = ("org.apache.hadoop.io.IntWritable", "org.apache.hadoop.io.Text",
                   "org.apache.hadoop.io.LongWritable")


@pytest.fixture(scope="module")
def hsc():
    conf = SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("hadoop")
    with SparkContext(conf=conf) as sc:
        yield sc


def test_reads_sequence_files_spark_wrote(hsc: SparkContext) -> None:
    assert hsc.sequenceFile(str(DATA / "spark_int_text.seq")).collect() == \
        [(1, ""), (1, "a"), (3, "x")]
    assert hsc.sequenceFile(str(DATA / "spark_text_bool.seq")).collect() == \
        [("k", True), ("j", False)]


@pytest.mark.parametrize("records", [
    [(1, "one"), (2, "two")],
    [(2 ** 40, 1.5), (2 ** 41, -2.25)],
    [("k", True), ("j", False)],
    [(b"ab", None), (b"", None)],
])
def test_sequence_file_round_trip(hsc: SparkContext, tmp_path, records) -> None:
    out = str(tmp_path / "seq")
    hsc.parallelize(records, 2).saveAsSequenceFile(out)
    got = hsc.sequenceFile(out).collect()
    assert [(bytes(k) if isinstance(k, bytearray) else k, v) for k, v in got] == records


def test_compressed_and_new_api_sequence_files(hsc: SparkContext, tmp_path) -> None:
    records = [(i, "v" * (i % 40)) for i in range(3000)]
    out = str(tmp_path / "zipped")
    hsc.parallelize(records, 3).saveAsSequenceFile(
        out, "org.apache.hadoop.io.compress.DefaultCodec")
    assert sorted(hsc.sequenceFile(out).collect()) == records
    conf = {"mapreduce.job.outputformat.class": SEQ_OUT, "mapreduce.job.output.key.class": INT,
            "mapreduce.job.output.value.class": TEXT,
            "mapreduce.output.fileoutputformat.outputdir": str(tmp_path / "dataset")}
    hsc.parallelize(records[:5], 2).saveAsNewAPIHadoopDataset(conf)
    assert "part-r-00000" in os.listdir(tmp_path / "dataset")
    read = hsc.newAPIHadoopRDD(SEQ_IN, INT, TEXT, conf={
        "mapreduce.input.fileinputformat.inputdir": str(tmp_path / "dataset")}).collect()
    assert sorted(read) == records[:5]


def test_text_formats(hsc: SparkContext, tmp_path) -> None:
    out = str(tmp_path / "text")
    hsc.parallelize([(1, ""), (1, "a"), (3, "x")], 1).saveAsHadoopFile(out, TEXT_OUT, INT, TEXT)
    assert open(os.path.join(out, "part-00000")).read() == "1\t\n1\ta\n3\tx\n"
    assert hsc.hadoopFile(out, TEXT_IN, LONG, TEXT).collect() == \
        [(0, "1\t"), (3, "1\ta"), (7, "3\tx")]
    kv = hsc.hadoopFile(out, "org.apache.hadoop.mapred.KeyValueTextInputFormat", TEXT, TEXT)
    assert kv.collect() == [("1", ""), ("1", "a"), ("3", "x")]


def test_unsupported_choices_are_named(hsc: SparkContext, tmp_path) -> None:
    with pytest.raises(Exception, match="Cannot write a dict into a SequenceFile"):
        hsc.parallelize([({"a": 1}, 1)], 1).saveAsSequenceFile(str(tmp_path / "a"))
    with pytest.raises(Exception, match="wrong value class"):
        hsc.parallelize([(1, "x"), (2, 3.5)], 1).saveAsSequenceFile(str(tmp_path / "b"))
    with pytest.raises(PySparkValueError, match="AvroKeyOutputFormat is not supported"):
        hsc.parallelize([(1, 1)]).saveAsHadoopFile(
            str(tmp_path / "c"), "org.apache.avro.mapred.AvroKeyOutputFormat")
    with pytest.raises(PySparkValueError, match="JVM classes"):
        hsc.sequenceFile(str(DATA / "spark_int_text.seq"), keyConverter="x.Converter")
    for failed in ("a", "b"):
        assert not (tmp_path / failed).exists(), "a failed save left an output directory"
