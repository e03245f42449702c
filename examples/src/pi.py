"""Estimates Pi by sampling random points in the unit square (Monte Carlo)."""
import random
import sys
from operator import add

from pyspark.sql import SparkSession


def inside(_):
    x, y = random.random() * 2 - 1, random.random() * 2 - 1
    return 1 if x * x + y * y <= 1 else 0


def main():
    partitions = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    samples = 100_000 * partitions
    spark = SparkSession.builder.appName("PythonPi").getOrCreate()
    count = spark.sparkContext.parallelize(range(samples), partitions).map(inside).reduce(add)
    print(f"Pi is roughly {4.0 * count / samples:f}")
    spark.stop()


if __name__ == "__main__":
    main()
