// A small Prometheus metrics registry: counters, gauges, summaries (sum and count) and
// histograms, without labels, rendered in the text exposition format (version 0.0.4).
// Written by hand: Debian has no packaged Prometheus client for C++.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sp {

class Metric {
 public:
  Metric(std::string name, std::string help) : name_(std::move(name)), help_(std::move(help)) {}
  virtual ~Metric() = default;
  virtual void render(std::string& out) const = 0;
  const std::string& name() const { return name_; }

 protected:
  void header(std::string& out, const char* type) const;
  std::string name_;
  std::string help_;
};

class Counter final : public Metric {
 public:
  using Metric::Metric;
  void inc(double v = 1);
  double value() const;
  void render(std::string& out) const override;

 private:
  mutable std::mutex mu_;
  double value_ = 0;
};

class Gauge final : public Metric {
 public:
  using Metric::Metric;
  void set(double v);
  void add(double v);
  double value() const;
  void render(std::string& out) const override;

 private:
  mutable std::mutex mu_;
  double value_ = 0;
};

// A summary without quantiles (what the Go client's default summary exposes).
class Summary final : public Metric {
 public:
  using Metric::Metric;
  void observe(double v);
  uint64_t count() const;
  void render(std::string& out) const override;

 private:
  mutable std::mutex mu_;
  double sum_ = 0;
  uint64_t count_ = 0;
};

class Histogram final : public Metric {
 public:
  Histogram(std::string name, std::string help, std::vector<double> upper_bounds);
  void observe(double v);
  void render(std::string& out) const override;

 private:
  mutable std::mutex mu_;
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // per bucket, not cumulative
  double sum_ = 0;
  uint64_t count_ = 0;
};

// One sample of a metric read when scraped (no registry): its HELP and TYPE lines and
// "name value", appended to `out`. `type` is "counter" or "gauge".
void append_sample(std::string& out, const char* name, const char* type, const char* help,
                   double value);

class MetricsRegistry {
 public:
  Counter& counter(const std::string& name, const std::string& help);
  Gauge& gauge(const std::string& name, const std::string& help);
  Summary& summary(const std::string& name, const std::string& help);
  Histogram& histogram(const std::string& name, const std::string& help,
                       std::vector<double> upper_bounds);
  std::string render() const;

 private:
  template <typename T, typename... Args>
  T& get_or_add(const std::string& name, Args&&... args);
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Metric>> metrics_;
};

}  // namespace sp
