"""The 22 TPC-H queries written with the DataFrame API (same validation parameters as
``../shared/bench/queries``), runnable on pyspk or PySpark:

    python benchmarks/tpch_dataframe.py --engine pyspk --data benchmarks/data/sf1 [--queries q01,q06]
        [--check ../shared/bench/reference_rows_sf1]

Each query is a function of the table DataFrames ``t`` and the engine's ``functions`` module ``F``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import math
import os
import time
from typing import Any, Callable

D = dt.date
TABLES = ["customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"]


def rev(F: Any) -> Any:
    return F.col("l_extendedprice") * (1 - F.col("l_discount"))


def q01(t, F):
    li = t["lineitem"].where(F.col("l_shipdate") <= F.lit(D(1998, 9, 2)))
    return (li.groupBy("l_returnflag", "l_linestatus")
            .agg(F.sum("l_quantity").alias("sum_qty"), F.sum("l_extendedprice").alias("sum_base_price"),
                 F.sum(rev(F)).alias("sum_disc_price"),
                 F.sum(rev(F) * (1 + F.col("l_tax"))).alias("sum_charge"),
                 F.avg("l_quantity").alias("avg_qty"), F.avg("l_extendedprice").alias("avg_price"),
                 F.avg("l_discount").alias("avg_disc"), F.count("*").alias("count_order"))
            .orderBy("l_returnflag", "l_linestatus"))


def _europe_partsupp(t, F):
    eu = t["region"].where(F.col("r_name") == "EUROPE")
    nat = t["nation"].join(eu, F.col("n_regionkey") == F.col("r_regionkey"))
    sup = t["supplier"].join(nat, F.col("s_nationkey") == F.col("n_nationkey"))
    return t["partsupp"].join(sup, F.col("ps_suppkey") == F.col("s_suppkey"))


def q02(t, F):
    ps = _europe_partsupp(t, F)
    parts = t["part"].where((F.col("p_size") == 15) & F.col("p_type").endswith("BRASS"))
    cheapest = ps.groupBy("ps_partkey").agg(F.min("ps_supplycost").alias("min_cost"))
    joined = (parts.join(ps, F.col("p_partkey") == F.col("ps_partkey"))
              .join(cheapest.withColumnRenamed("ps_partkey", "mk"),
                    (F.col("p_partkey") == F.col("mk")) & (F.col("ps_supplycost") == F.col("min_cost"))))
    return (joined.select("s_acctbal", "s_name", "n_name", "p_partkey", "p_mfgr", "s_address", "s_phone",
                          "s_comment")
            .orderBy(F.desc("s_acctbal"), "n_name", "s_name", "p_partkey").limit(100))


def q03(t, F):
    c = t["customer"].where(F.col("c_mktsegment") == "BUILDING")
    o = t["orders"].where(F.col("o_orderdate") < F.lit(D(1995, 3, 15)))
    li = t["lineitem"].where(F.col("l_shipdate") > F.lit(D(1995, 3, 15)))
    j = c.join(o, F.col("c_custkey") == F.col("o_custkey")).join(li, F.col("l_orderkey") == F.col("o_orderkey"))
    return (j.groupBy("l_orderkey", "o_orderdate", "o_shippriority").agg(F.sum(rev(F)).alias("revenue"))
            .select("l_orderkey", "revenue", "o_orderdate", "o_shippriority")
            .orderBy(F.desc("revenue"), "o_orderdate").limit(10))


def q04(t, F):
    o = t["orders"].where((F.col("o_orderdate") >= F.lit(D(1993, 7, 1))) & (F.col("o_orderdate") < F.lit(D(1993, 10, 1))))
    late = t["lineitem"].where(F.col("l_commitdate") < F.col("l_receiptdate")).select("l_orderkey")
    return (o.join(late, F.col("o_orderkey") == F.col("l_orderkey"), "left_semi")
            .groupBy("o_orderpriority").agg(F.count("*").alias("order_count")).orderBy("o_orderpriority"))


def q05(t, F):
    asia = t["region"].where(F.col("r_name") == "ASIA")
    nat = t["nation"].join(asia, F.col("n_regionkey") == F.col("r_regionkey"))
    o = t["orders"].where((F.col("o_orderdate") >= F.lit(D(1994, 1, 1))) & (F.col("o_orderdate") < F.lit(D(1995, 1, 1))))
    j = (t["customer"].join(o, F.col("c_custkey") == F.col("o_custkey"))
         .join(t["lineitem"], F.col("l_orderkey") == F.col("o_orderkey"))
         .join(t["supplier"], (F.col("l_suppkey") == F.col("s_suppkey")) & (F.col("c_nationkey") == F.col("s_nationkey")))
         .join(nat, F.col("s_nationkey") == F.col("n_nationkey")))
    return j.groupBy("n_name").agg(F.sum(rev(F)).alias("revenue")).orderBy(F.desc("revenue"))


def q06(t, F):
    li = t["lineitem"].where((F.col("l_shipdate") >= F.lit(D(1994, 1, 1))) & (F.col("l_shipdate") < F.lit(D(1995, 1, 1)))
                             & F.col("l_discount").between(0.05, 0.07) & (F.col("l_quantity") < 24))
    return li.agg(F.sum(F.col("l_extendedprice") * F.col("l_discount")).alias("revenue"))


def q07(t, F):
    n1 = t["nation"].select(F.col("n_nationkey").alias("n1_key"), F.col("n_name").alias("supp_nation"))
    n2 = t["nation"].select(F.col("n_nationkey").alias("n2_key"), F.col("n_name").alias("cust_nation"))
    li = t["lineitem"].where(F.col("l_shipdate").between(F.lit(D(1995, 1, 1)), F.lit(D(1996, 12, 31))))
    j = (t["supplier"].join(li, F.col("s_suppkey") == F.col("l_suppkey"))
         .join(t["orders"], F.col("o_orderkey") == F.col("l_orderkey"))
         .join(t["customer"], F.col("c_custkey") == F.col("o_custkey"))
         .join(n1, F.col("s_nationkey") == F.col("n1_key")).join(n2, F.col("c_nationkey") == F.col("n2_key"))
         .where(((F.col("supp_nation") == "FRANCE") & (F.col("cust_nation") == "GERMANY"))
                | ((F.col("supp_nation") == "GERMANY") & (F.col("cust_nation") == "FRANCE"))))
    return (j.select("supp_nation", "cust_nation", F.year("l_shipdate").alias("l_year"), rev(F).alias("volume"))
            .groupBy("supp_nation", "cust_nation", "l_year").agg(F.sum("volume").alias("revenue"))
            .orderBy("supp_nation", "cust_nation", "l_year"))


def q08(t, F):
    america = t["region"].where(F.col("r_name") == "AMERICA")
    n1 = t["nation"].join(america, F.col("n_regionkey") == F.col("r_regionkey")).select(F.col("n_nationkey").alias("n1_key"))
    n2 = t["nation"].select(F.col("n_nationkey").alias("n2_key"), F.col("n_name").alias("nation"))
    o = t["orders"].where(F.col("o_orderdate").between(F.lit(D(1995, 1, 1)), F.lit(D(1996, 12, 31))))
    p = t["part"].where(F.col("p_type") == "ECONOMY ANODIZED STEEL")
    j = (p.join(t["lineitem"], F.col("p_partkey") == F.col("l_partkey"))
         .join(t["supplier"], F.col("s_suppkey") == F.col("l_suppkey"))
         .join(o, F.col("l_orderkey") == F.col("o_orderkey"))
         .join(t["customer"], F.col("o_custkey") == F.col("c_custkey"))
         .join(n1, F.col("c_nationkey") == F.col("n1_key")).join(n2, F.col("s_nationkey") == F.col("n2_key")))
    v = j.select(F.year("o_orderdate").alias("o_year"), rev(F).alias("volume"), "nation")
    return (v.groupBy("o_year")
            .agg((F.sum(F.when(F.col("nation") == "BRAZIL", F.col("volume")).otherwise(0)) / F.sum("volume")).alias("mkt_share"))
            .orderBy("o_year"))


def q09(t, F):
    p = t["part"].where(F.col("p_name").contains("green"))
    j = (p.join(t["lineitem"], F.col("p_partkey") == F.col("l_partkey"))
         .join(t["supplier"], F.col("s_suppkey") == F.col("l_suppkey"))
         .join(t["partsupp"], (F.col("ps_suppkey") == F.col("l_suppkey")) & (F.col("ps_partkey") == F.col("l_partkey")))
         .join(t["orders"], F.col("o_orderkey") == F.col("l_orderkey"))
         .join(t["nation"], F.col("s_nationkey") == F.col("n_nationkey")))
    amount = rev(F) - F.col("ps_supplycost") * F.col("l_quantity")
    return (j.select(F.col("n_name").alias("nation"), F.year("o_orderdate").alias("o_year"), amount.alias("amount"))
            .groupBy("nation", "o_year").agg(F.sum("amount").alias("sum_profit"))
            .orderBy("nation", F.desc("o_year")))


def q10(t, F):
    o = t["orders"].where((F.col("o_orderdate") >= F.lit(D(1993, 10, 1))) & (F.col("o_orderdate") < F.lit(D(1994, 1, 1))))
    li = t["lineitem"].where(F.col("l_returnflag") == "R")
    j = (t["customer"].join(o, F.col("c_custkey") == F.col("o_custkey"))
         .join(li, F.col("l_orderkey") == F.col("o_orderkey"))
         .join(t["nation"], F.col("c_nationkey") == F.col("n_nationkey")))
    return (j.groupBy("c_custkey", "c_name", "c_acctbal", "c_phone", "n_name", "c_address", "c_comment")
            .agg(F.sum(rev(F)).alias("revenue"))
            .select("c_custkey", "c_name", "revenue", "c_acctbal", "n_name", "c_address", "c_phone", "c_comment")
            .orderBy(F.desc("revenue")).limit(20))


def q11(t, F):
    de = t["nation"].where(F.col("n_name") == "GERMANY")
    ps = (t["partsupp"].join(t["supplier"], F.col("ps_suppkey") == F.col("s_suppkey"))
          .join(de, F.col("s_nationkey") == F.col("n_nationkey"))
          .withColumn("v", F.col("ps_supplycost") * F.col("ps_availqty")))
    threshold = ps.agg((F.sum("v") * 0.0001).alias("t")).collect()[0]["t"]
    return (ps.groupBy("ps_partkey").agg(F.sum("v").alias("value"))
            .where(F.col("value") > F.lit(threshold)).orderBy(F.desc("value")))


def q12(t, F):
    li = t["lineitem"].where(F.col("l_shipmode").isin("MAIL", "SHIP") & (F.col("l_commitdate") < F.col("l_receiptdate"))
                             & (F.col("l_shipdate") < F.col("l_commitdate"))
                             & (F.col("l_receiptdate") >= F.lit(D(1994, 1, 1))) & (F.col("l_receiptdate") < F.lit(D(1995, 1, 1))))
    j = t["orders"].join(li, F.col("o_orderkey") == F.col("l_orderkey"))
    high = F.col("o_orderpriority").isin("1-URGENT", "2-HIGH")
    return (j.groupBy("l_shipmode")
            .agg(F.sum(F.when(high, 1).otherwise(0)).alias("high_line_count"),
                 F.sum(F.when(~high, 1).otherwise(0)).alias("low_line_count"))
            .orderBy("l_shipmode"))


def q13(t, F):
    o = t["orders"].where(~F.col("o_comment").like("%special%requests%"))
    counts = (t["customer"].join(o, F.col("c_custkey") == F.col("o_custkey"), "left")
              .groupBy("c_custkey").agg(F.count("o_orderkey").alias("c_count")))
    return (counts.groupBy("c_count").agg(F.count("*").alias("custdist"))
            .orderBy(F.desc("custdist"), F.desc("c_count")))


def q14(t, F):
    li = t["lineitem"].where((F.col("l_shipdate") >= F.lit(D(1995, 9, 1))) & (F.col("l_shipdate") < F.lit(D(1995, 10, 1))))
    j = li.join(t["part"], F.col("l_partkey") == F.col("p_partkey"))
    promo = F.sum(F.when(F.col("p_type").startswith("PROMO"), rev(F)).otherwise(0))
    return j.agg((100.00 * promo / F.sum(rev(F))).alias("promo_revenue"))


def q15(t, F):
    li = t["lineitem"].where((F.col("l_shipdate") >= F.lit(D(1996, 1, 1))) & (F.col("l_shipdate") < F.lit(D(1996, 4, 1))))
    revenue = li.groupBy(F.col("l_suppkey").alias("supplier_no")).agg(F.sum(rev(F)).alias("total_revenue"))
    top = revenue.agg(F.max("total_revenue").alias("m")).collect()[0]["m"]
    return (t["supplier"].join(revenue.where(F.col("total_revenue") == F.lit(top)),
                               F.col("s_suppkey") == F.col("supplier_no"))
            .select("s_suppkey", "s_name", "s_address", "s_phone", "total_revenue").orderBy("s_suppkey"))


def q16(t, F):
    bad = t["supplier"].where(F.col("s_comment").like("%Customer%Complaints%")).select("s_suppkey")
    p = t["part"].where((F.col("p_brand") != "Brand#45") & ~F.col("p_type").startswith("MEDIUM POLISHED")
                        & F.col("p_size").isin(49, 14, 23, 45, 19, 3, 36, 9))
    j = (t["partsupp"].join(p, F.col("p_partkey") == F.col("ps_partkey"))
         .join(bad, F.col("ps_suppkey") == F.col("s_suppkey"), "left_anti"))
    return (j.groupBy("p_brand", "p_type", "p_size").agg(F.countDistinct("ps_suppkey").alias("supplier_cnt"))
            .orderBy(F.desc("supplier_cnt"), "p_brand", "p_type", "p_size"))


def q17(t, F):
    p = t["part"].where((F.col("p_brand") == "Brand#23") & (F.col("p_container") == "MED BOX"))
    avg_qty = t["lineitem"].groupBy(F.col("l_partkey").alias("ak")).agg((0.2 * F.avg("l_quantity")).alias("limit"))
    j = (t["lineitem"].join(p, F.col("p_partkey") == F.col("l_partkey"))
         .join(avg_qty, F.col("ak") == F.col("l_partkey")).where(F.col("l_quantity") < F.col("limit")))
    return j.agg((F.sum("l_extendedprice") / 7.0).alias("avg_yearly"))


def q18(t, F):
    big = (t["lineitem"].groupBy(F.col("l_orderkey").alias("bk")).agg(F.sum("l_quantity").alias("q"))
           .where(F.col("q") > 300).select("bk"))
    j = (t["customer"].join(t["orders"], F.col("c_custkey") == F.col("o_custkey"))
         .join(big, F.col("o_orderkey") == F.col("bk"), "left_semi")
         .join(t["lineitem"], F.col("o_orderkey") == F.col("l_orderkey")))
    return (j.groupBy("c_name", "c_custkey", "o_orderkey", "o_orderdate", "o_totalprice")
            .agg(F.sum("l_quantity").alias("sum(l_quantity)"))
            .orderBy(F.desc("o_totalprice"), "o_orderdate").limit(100))


def q19(t, F):
    j = t["lineitem"].join(t["part"], F.col("p_partkey") == F.col("l_partkey"))
    common = F.col("l_shipmode").isin("AIR", "AIR REG") & (F.col("l_shipinstruct") == "DELIVER IN PERSON")

    def branch(brand, containers, lo, hi, size):
        return ((F.col("p_brand") == brand) & F.col("p_container").isin(*containers)
                & F.col("l_quantity").between(lo, hi) & F.col("p_size").between(1, size))
    cond = common & (branch("Brand#12", ["SM CASE", "SM BOX", "SM PACK", "SM PKG"], 1, 11, 5)
                     | branch("Brand#23", ["MED BAG", "MED BOX", "MED PKG", "MED PACK"], 10, 20, 10)
                     | branch("Brand#34", ["LG CASE", "LG BOX", "LG PACK", "LG PKG"], 20, 30, 15))
    return j.where(cond).agg(F.sum(rev(F)).alias("revenue"))


def q20(t, F):
    forest = t["part"].where(F.col("p_name").startswith("forest")).select("p_partkey")
    shipped = (t["lineitem"].where((F.col("l_shipdate") >= F.lit(D(1994, 1, 1))) & (F.col("l_shipdate") < F.lit(D(1995, 1, 1))))
               .groupBy(F.col("l_partkey").alias("sp"), F.col("l_suppkey").alias("ss"))
               .agg((0.5 * F.sum("l_quantity")).alias("half")))
    ps = (t["partsupp"].join(forest, F.col("ps_partkey") == F.col("p_partkey"), "left_semi")
          .join(shipped, (F.col("sp") == F.col("ps_partkey")) & (F.col("ss") == F.col("ps_suppkey")))
          .where(F.col("ps_availqty") > F.col("half")).select("ps_suppkey"))
    ca = t["nation"].where(F.col("n_name") == "CANADA")
    return (t["supplier"].join(ps, F.col("s_suppkey") == F.col("ps_suppkey"), "left_semi")
            .join(ca, F.col("s_nationkey") == F.col("n_nationkey")).select("s_name", "s_address").orderBy("s_name"))


def q21(t, F):
    l1 = t["lineitem"].where(F.col("l_receiptdate") > F.col("l_commitdate"))
    sa = t["nation"].where(F.col("n_name") == "SAUDI ARABIA")
    base = (t["supplier"].join(sa, F.col("s_nationkey") == F.col("n_nationkey"))
            .join(l1, F.col("s_suppkey") == F.col("l_suppkey"))
            .join(t["orders"].where(F.col("o_orderstatus") == "F"), F.col("o_orderkey") == F.col("l_orderkey")))
    l2 = t["lineitem"].select(F.col("l_orderkey").alias("k2"), F.col("l_suppkey").alias("s2"))
    l3 = (t["lineitem"].where(F.col("l_receiptdate") > F.col("l_commitdate"))
          .select(F.col("l_orderkey").alias("k3"), F.col("l_suppkey").alias("s3")))
    kept = (base.join(l2, (F.col("k2") == F.col("l_orderkey")) & (F.col("s2") != F.col("l_suppkey")), "left_semi")
            .join(l3, (F.col("k3") == F.col("l_orderkey")) & (F.col("s3") != F.col("l_suppkey")), "left_anti"))
    return kept.groupBy("s_name").agg(F.count("*").alias("numwait")).orderBy(F.desc("numwait"), "s_name").limit(100)


def q22(t, F):
    codes = ["13", "31", "23", "29", "30", "18", "17"]
    c = t["customer"].withColumn("cntrycode", F.substring("c_phone", 1, 2)).where(F.col("cntrycode").isin(*codes))
    avg_bal = c.where(F.col("c_acctbal") > 0.00).agg(F.avg("c_acctbal").alias("a")).collect()[0]["a"]
    rich = c.where(F.col("c_acctbal") > F.lit(avg_bal))
    no_orders = rich.join(t["orders"], F.col("o_custkey") == F.col("c_custkey"), "left_anti")
    return (no_orders.groupBy("cntrycode").agg(F.count("*").alias("numcust"), F.sum("c_acctbal").alias("totacctbal"))
            .orderBy("cntrycode"))


QUERIES: dict[str, Callable] = {f"q{i:02d}": globals()[f"q{i:02d}"] for i in range(1, 23)}


def _plain(v: Any) -> Any:
    if hasattr(v, "as_tuple"):
        return float(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-6)
    return str(a) == str(b)


def run(engine: str, data: str, names: list[str], check: str | None) -> dict[str, Any]:
    sql = importlib.import_module(engine + ".sql")
    F = importlib.import_module(engine + ".sql.functions")
    spark = sql.SparkSession.builder.master("local[2]").appName("tpch-df").getOrCreate()
    t = {name: spark.read.parquet(os.path.join(data, f"{name}.parquet")) for name in TABLES}
    results = {}
    for name in names:
        start = time.perf_counter()
        rows = [tuple(_plain(v) for v in r) for r in QUERIES[name](t, F).collect()]
        seconds = time.perf_counter() - start
        verdict = None
        if check:
            want = json.load(open(os.path.join(check, f"{name}.json")))["rows"]
            verdict = len(rows) == len(want) and all(
                all(_same(a, b) for a, b in zip(r, w)) for r, w in zip(rows, want))
        results[name] = {"seconds": seconds, "rows": len(rows), "ok": verdict}
        print(f"{name}: {len(rows)} rows in {seconds:.2f}s" + ("" if verdict is None else f", answer {'OK' if verdict else 'DIFF'}"),
              flush=True)
    spark.stop()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--engine", default="pyspk")
    ap.add_argument("--data", required=True)
    ap.add_argument("--queries", default="all")
    ap.add_argument("--check", default=None, help="folder of reference rows (q01.json, …)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    names = sorted(QUERIES) if args.queries == "all" else args.queries.split(",")
    results = run(args.engine, args.data, names, args.check)
    ok = sum(1 for r in results.values() if r["ok"])
    print(f"{ok}/{len(results)} answers agree; total {sum(r['seconds'] for r in results.values()):.1f}s")
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
