"""A Spark application with what the UI draws: a SQL join and aggregation (a plan with
metrics), a cached DataFrame (storage), several jobs and stages with a shuffle, and a job whose
task fails (local mode does not retry it), caught by the driver, which then ends well."""
from pyspark.sql import SparkSession, functions as F

spark = SparkSession.builder.appName("PythonSqlCache").getOrCreate()
facts = spark.range(0, 200_000, numPartitions=8).withColumn("k", F.col("id") % 100)
dims = spark.range(0, 100).withColumnRenamed("id", "k").withColumn("name", F.concat(F.lit("d-"), F.col("k")))
facts.cache().count()
rows = facts.join(dims, "k").groupBy("name").agg(F.sum("id").alias("total")).orderBy("name").collect()
print("groups", len(rows), flush=True)


def fail(i):
    if i == 0:
        raise RuntimeError("failing once on purpose")
    return i


try:
    spark.sparkContext.parallelize(range(4), 2).map(fail).sum()
except Exception:  # noqa: BLE001 - the job's failure is what the UI should show
    print("the failing job failed", flush=True)
spark.stop()
