"""A Spark application with what the UI draws: a SQL join and aggregation (a plan with
metrics), a cached DataFrame (storage; its blocks are in the event log when the app runs with
spark.eventLog.logBlockUpdates.enabled), several jobs and stages with a shuffle, a sort that
spills (with spark.shuffle.spill.numElementsForceSpillThreshold set low), a stage with one slow
task (skew), and a job whose task fails (local mode does not retry it), caught by the driver,
which then ends well."""
import time

from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.appName("PythonSqlCache").getOrCreate()
facts = spark.range(0, 200_000, numPartitions=8).withColumn("k", F.col("id") % 100)
dims = spark.range(0, 100).withColumnRenamed("id", "k").withColumn("name", F.concat(F.lit("d-"), F.col("k")))
facts.cache().count()
rows = facts.join(dims, "k").groupBy("name").agg(F.sum("id").alias("total")).orderBy("name").collect()
print("groups", len(rows), flush=True)
facts.sort(F.col("id").desc()).write.format("noop").mode("overwrite").save()


def slow_first(i):
    time.sleep(3.0 if i == 0 else 0.05)
    return i


print("skewed", spark.sparkContext.parallelize(range(8), 8).map(slow_first).sum(), flush=True)


def fail(i):
    if i == 0:
        raise RuntimeError("failing once on purpose")
    return i


try:
    spark.sparkContext.parallelize(range(4), 2).map(fail).sum()
except Exception:  # noqa: BLE001 - the job's failure is what the UI should show
    print("the failing job failed", flush=True)
spark.stop()
