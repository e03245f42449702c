"""Counts the words of a text file and prints the most frequent ones."""
import sys

from pyspark.sql import SparkSession


def main():
    if len(sys.argv) < 2:
        print("usage: wordcount.py <file> [top]", file=sys.stderr)
        sys.exit(2)
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    spark = SparkSession.builder.appName("PythonWordCount").getOrCreate()
    lines = spark.read.text(sys.argv[1]).rdd.map(lambda r: r[0])
    counts = (
        lines.flatMap(lambda line: line.lower().split())
        .map(lambda w: (w.strip(".,;:!?\"'()"), 1))
        .filter(lambda kv: kv[0])
        .reduceByKey(lambda a, b: a + b)
    )
    for word, n in counts.takeOrdered(top, key=lambda kv: (-kv[1], kv[0])):
        print(f"{word}\t{n}")
    spark.stop()


if __name__ == "__main__":
    main()
