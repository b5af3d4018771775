"""PySpark's Hadoop-format API over the formats that make sense without a JVM: SequenceFiles,
text (TextInputFormat gives (byte offset, line), KeyValueTextInputFormat splits at the first
tab, TextOutputFormat writes ``key<TAB>value``). Formats are named by their Hadoop classes, as in
PySpark; JVM converter classes cannot run here and are refused by name."""
from __future__ import annotations

from typing import Any, Iterator

from pyspk.errors import PySparkValueError

OUTPUT_DIR_KEYS = ("mapreduce.output.fileoutputformat.outputdir", "mapred.output.dir")
INPUT_DIR_KEYS = ("mapreduce.input.fileinputformat.inputdir", "mapred.input.dir")
KEY_CLASS_KEYS = ("mapreduce.job.output.key.class", "mapred.output.key.class")
VALUE_CLASS_KEYS = ("mapreduce.job.output.value.class", "mapred.output.value.class")
CODEC_KEYS = ("mapreduce.output.fileoutputformat.compress.codec", "mapred.output.compression.codec")


def format_kind(cls: str, role: str) -> str:
    """``sequence``, ``text`` or ``keyvalue`` for a Hadoop input/output format class name."""
    short = cls.rsplit(".", 1)[-1]
    kinds = {"SequenceFileOutputFormat": "sequence", "TextOutputFormat": "text",
             "SequenceFileInputFormat": "sequence", "TextInputFormat": "text",
             "KeyValueTextInputFormat": "keyvalue"}
    kind = kinds.get(short)
    if kind is None or not short.endswith(f"{role}Format"):
        raise PySparkValueError(
            f"{role} format class {cls} is not supported: pyspk reads and writes "
            "SequenceFile and Text formats (KeyValueText for input)",
            errorClass="UNSUPPORTED_HADOOP_FORMAT", messageParameters={"class": cls})
    return kind


def refuse_converters(*converters: Any) -> None:
    if any(c is not None for c in converters):
        raise PySparkValueError("keyConverter/valueConverter name JVM classes, which pyspk "
                                "cannot run; convert records in Python with map() instead",
                                errorClass="UNSUPPORTED_CONVERTER")


def conf_value(conf: dict[str, str] | None, keys: tuple[str, ...]) -> str | None:
    for k in keys:
        if conf and conf.get(k):
            return conf[k]
    return None


def text_line(kv: tuple[Any, Any]) -> str:
    """TextOutputFormat's line: key and value joined by a tab, a null side left out."""
    k, v = kv
    if k is None:
        return "" if v is None else str(v)
    return str(k) if v is None else f"{k}\t{v}"


def key_value_lines(lines: Iterator[str]) -> Iterator[tuple[str, str]]:
    for line in lines:
        key, _, value = line.partition("\t")
        yield key, value


class HadoopOutput:
    """``saveAsSequenceFile`` and the ``saveAsHadoop*``/``saveAsNewAPIHadoop*`` actions."""

    def saveAsSequenceFile(self, path: str, compressionCodecClass: str | None = None) -> None:
        from pyspk.rdd.output import save_sequence
        save_sequence(self, path, None, None, compressionCodecClass, "part-",
                      "saveAsSequenceFile")

    def _save_hadoop(self, path: str, output_format: str, key_class: str | None,
                     value_class: str | None, codec: str | None, prefix: str,
                     action: str) -> None:
        from pyspk.rdd.output import save_sequence
        if format_kind(output_format, "Output") == "sequence":
            save_sequence(self, path, key_class, value_class, codec, prefix, action)
        else:
            self.map(text_line)._save_text(path, codec, prefix, action)

    def saveAsHadoopFile(self, path: str, outputFormatClass: str, keyClass: str | None = None,
                         valueClass: str | None = None, keyConverter: str | None = None,
                         valueConverter: str | None = None, conf: dict[str, str] | None = None,
                         compressionCodecClass: str | None = None) -> None:
        refuse_converters(keyConverter, valueConverter)
        self._save_hadoop(path, outputFormatClass, keyClass, valueClass,
                          compressionCodecClass or conf_value(conf, CODEC_KEYS), "part-",
                          "saveAsHadoopFile")

    def saveAsNewAPIHadoopFile(self, path: str, outputFormatClass: str,
                               keyClass: str | None = None, valueClass: str | None = None,
                               keyConverter: str | None = None,
                               valueConverter: str | None = None,
                               conf: dict[str, str] | None = None) -> None:
        refuse_converters(keyConverter, valueConverter)
        self._save_hadoop(path, outputFormatClass, keyClass, valueClass,
                          conf_value(conf, CODEC_KEYS), "part-r-", "saveAsNewAPIHadoopFile")

    def _save_dataset(self, conf: dict[str, str], format_key: str, prefix: str,
                      action: str) -> None:
        path = conf_value(conf, OUTPUT_DIR_KEYS)
        fmt = conf.get(format_key)
        if not path or not fmt:
            raise PySparkValueError(f"{action} needs {OUTPUT_DIR_KEYS[0]} and {format_key} in "
                                    "its conf", errorClass="MISSING_HADOOP_CONF")
        self._save_hadoop(path, fmt, conf_value(conf, KEY_CLASS_KEYS),
                          conf_value(conf, VALUE_CLASS_KEYS), conf_value(conf, CODEC_KEYS),
                          prefix, action)

    def saveAsHadoopDataset(self, conf: dict[str, str], keyConverter: str | None = None,
                            valueConverter: str | None = None) -> None:
        refuse_converters(keyConverter, valueConverter)
        self._save_dataset(conf, "mapred.output.format.class", "part-", "saveAsHadoopDataset")

    def saveAsNewAPIHadoopDataset(self, conf: dict[str, str], keyConverter: str | None = None,
                                  valueConverter: str | None = None) -> None:
        refuse_converters(keyConverter, valueConverter)
        self._save_dataset(conf, "mapreduce.job.outputformat.class", "part-r-",
                           "saveAsNewAPIHadoopDataset")
