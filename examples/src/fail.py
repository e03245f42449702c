"""Starts Spark, runs one job, then fails: shows restart policies and retries."""
import sys

from pyspark.sql import SparkSession


def main():
    spark = SparkSession.builder.appName("PythonFail").getOrCreate()
    total = spark.sparkContext.parallelize(range(100), 2).sum()
    print(f"sum is {total}, now failing on purpose")
    spark.stop()
    sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 1)


if __name__ == "__main__":
    main()
