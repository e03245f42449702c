"""A Spark application that runs a job, then stays alive for N seconds: for restart tests."""
import sys
import time

from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("PythonSlow").getOrCreate()
print("sum", spark.sparkContext.parallelize(range(10), 1).sum(), flush=True)
time.sleep(float(sys.argv[1]) if len(sys.argv) > 1 else 20)
print("slow app done", flush=True)
spark.stop()
