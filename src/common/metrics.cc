#include "common/metrics.h"

#include <fmt/format.h>

#include <cmath>

#include "common/error.h"

namespace sp {
namespace {

std::string num(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{}", v);
}

}  // namespace

void Metric::header(std::string& out, const char* type) const {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name_, help_, name_, type);
}

void append_sample(std::string& out, const char* name, const char* type, const char* help,
                   double value) {
  fmt::format_to(std::back_inserter(out), "# HELP {0} {1}\n# TYPE {0} {2}\n{0} {3}\n", name, help,
                 type, value);
}

void Counter::inc(double v) {
  std::lock_guard lock(mu_);
  value_ += v;
}
double Counter::value() const {
  std::lock_guard lock(mu_);
  return value_;
}
void Counter::render(std::string& out) const {
  header(out, "counter");
  out += name_ + " " + num(value()) + "\n";
}

void Gauge::set(double v) {
  std::lock_guard lock(mu_);
  value_ = v;
}
void Gauge::add(double v) {
  std::lock_guard lock(mu_);
  value_ += v;
}
double Gauge::value() const {
  std::lock_guard lock(mu_);
  return value_;
}
void Gauge::render(std::string& out) const {
  header(out, "gauge");
  out += name_ + " " + num(value()) + "\n";
}

void Summary::observe(double v) {
  std::lock_guard lock(mu_);
  sum_ += v;
  ++count_;
}
uint64_t Summary::count() const {
  std::lock_guard lock(mu_);
  return count_;
}
void Summary::render(std::string& out) const {
  std::lock_guard lock(mu_);
  header(out, "summary");
  out += name_ + "_sum " + num(sum_) + "\n";
  out += name_ + "_count " + std::to_string(count_) + "\n";
}

Histogram::Histogram(std::string name, std::string help, std::vector<double> upper_bounds)
    : Metric(std::move(name), std::move(help)),
      bounds_(std::move(upper_bounds)),
      counts_(bounds_.size(), 0) {}

void Histogram::observe(double v) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (v <= bounds_[i]) {
      ++counts_[i];
      break;
    }
  }
  sum_ += v;
  ++count_;
}

void Histogram::render(std::string& out) const {
  std::lock_guard lock(mu_);
  header(out, "histogram");
  uint64_t cumulative = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += counts_[i];
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name_, num(bounds_[i]), cumulative);
  }
  out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", name_, count_);
  out += name_ + "_sum " + num(sum_) + "\n";
  out += name_ + "_count " + std::to_string(count_) + "\n";
}

template <typename T, typename... Args>
T& MetricsRegistry::get_or_add(const std::string& name, Args&&... args) {
  std::lock_guard lock(mu_);
  auto it = metrics_.find(name);
  if (it == metrics_.end()) {
    it = metrics_.emplace(name, std::make_unique<T>(name, std::forward<Args>(args)...)).first;
  }
  auto* typed = dynamic_cast<T*>(it->second.get());
  if (typed == nullptr) throw Error("metric " + name + " registered twice with different types");
  return *typed;
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help) {
  return get_or_add<Counter>(name, help);
}
Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help) {
  return get_or_add<Gauge>(name, help);
}
Summary& MetricsRegistry::summary(const std::string& name, const std::string& help) {
  return get_or_add<Summary>(name, help);
}
Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                      std::vector<double> upper_bounds) {
  return get_or_add<Histogram>(name, help, std::move(upper_bounds));
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, metric] : metrics_) metric->render(out);
  return out;
}

}  // namespace sp
