"""``SQLContext``: the Spark 1.x entry point, kept as a thin view of a SparkSession."""
from __future__ import annotations

from typing import Any


class SQLContext:
    """SQL entry point over a SparkContext (prefer ``SparkSession``)."""

    _instantiatedContext: "SQLContext | None" = None

    def __init__(self, sparkContext: Any, sparkSession: Any = None, jsqlContext: Any = None) -> None:
        from pyspk.sql.session import SparkSession
        self._sc = sparkContext
        self.sparkSession = sparkSession or SparkSession.builder.getOrCreate()
        SQLContext._instantiatedContext = self

    @classmethod
    def getOrCreate(cls, sc: Any) -> "SQLContext":
        return cls._instantiatedContext or cls(sc)

    def newSession(self) -> "SQLContext":
        return SQLContext(self._sc, self.sparkSession.newSession())

    def setConf(self, key: str, value: Any) -> None:
        self.sparkSession.conf.set(key, value)

    def getConf(self, key: str, defaultValue: Any = None) -> Any:
        return self.sparkSession.conf.get(key, defaultValue)

    @property
    def udf(self) -> Any:
        return self.sparkSession.udf

    @property
    def read(self) -> Any:
        return self.sparkSession.read

    def range(self, start: int, end: int | None = None, step: int = 1,
              numPartitions: int | None = None) -> Any:
        return self.sparkSession.range(start, end, step, numPartitions)

    def createDataFrame(self, data: Any, schema: Any = None, samplingRatio: Any = None,
                        verifySchema: bool = True) -> Any:
        return self.sparkSession.createDataFrame(data, schema, samplingRatio, verifySchema)

    def registerDataFrameAsTable(self, df: Any, tableName: str) -> None:
        df.createOrReplaceTempView(tableName)

    def dropTempTable(self, tableName: str) -> None:
        self.sparkSession.catalog.dropTempView(tableName)

    def sql(self, sqlQuery: str) -> Any:
        return self.sparkSession.sql(sqlQuery)

    def table(self, tableName: str) -> Any:
        return self.sparkSession.table(tableName)

    def tables(self, dbName: str | None = None) -> Any:
        rows = [(t.namespace[0] if t.namespace else "", t.name, t.isTemporary)
                for t in self.sparkSession.catalog.listTables(dbName)]
        return self.sparkSession.createDataFrame(rows, "namespace string, tableName string, isTemporary boolean")

    def tableNames(self, dbName: str | None = None) -> list[str]:
        return [t.name for t in self.sparkSession.catalog.listTables(dbName)]

    def cacheTable(self, tableName: str) -> None:
        self.sparkSession.catalog.cacheTable(tableName)

    def uncacheTable(self, tableName: str) -> None:
        self.sparkSession.catalog.uncacheTable(tableName)

    def clearCache(self) -> None:
        self.sparkSession.catalog.clearCache()


HiveContext = SQLContext
