"""aes_encrypt/aes_decrypt against Spark's published vectors (fixed IVs), round trips in every
mode, try_aes_decrypt on a wrong key, and binary-to-string casts decoding UTF-8."""
from __future__ import annotations

import pytest

from pyspk.errors import PySparkException
from pyspk.sql import functions as F

KEY32 = "abcdefghijklmnop12345678ABCDEFGH"


def test_gcm_with_iv_and_aad_matches_spark(spark):
    df = spark.createDataFrame([("Spark", KEY32, "000000000000000000000000",
                                 "This is an AAD mixed into the input")], ["i", "k", "iv", "aad"])
    out = df.select(F.base64(F.aes_encrypt("i", "k", F.lit("GCM"), F.lit("DEFAULT"),
                                           F.to_binary("iv", F.lit("hex")), "aad"))).first()[0]
    assert out == "AAAAAAAAAAAAAAAAQiYi+sTLm7KD9UcZ2nlRdYDe/PX4"


def test_decrypt_spark_vectors(spark):
    df = spark.createDataFrame([("AAAAAAAAAAAAAAAAAAAAAPSd4mWyMZ5mhvjiAPQJnfg=", KEY32,
                                 "83F16B2AA704794132802D248E6BFD4E380078182D1544813898AC97E709B28A94",
                                 "0000111122223333")], ["cbc", "k", "gcm", "k16"])
    row = df.select(F.aes_decrypt(F.unbase64("cbc"), "k", F.lit("CBC")).cast("string"),
                    F.aes_decrypt(F.unhex("gcm"), "k16").cast("string")).first()
    assert tuple(row) == ("Spark", "Spark")


@pytest.mark.parametrize("mode", ["GCM", "CBC", "ECB"])
def test_round_trip_and_wrong_key(spark, mode):
    df = spark.createDataFrame([("Spark SQL", "1234567890abcdef")], ["i", "k"])
    enc = df.select(F.aes_encrypt("i", "k", F.lit(mode)).alias("e"), "k")
    assert enc.select(F.aes_decrypt("e", "k", F.lit(mode)).cast("string")).first()[0] == "Spark SQL"
    wrong = enc.select(F.try_aes_decrypt("e", F.lit("fedcba0987654321"), F.lit(mode)))
    assert wrong.first()[0] != b"Spark SQL"
    with pytest.raises(PySparkException):
        enc.select(F.aes_decrypt("e", F.lit("short"), F.lit(mode))).collect()
