#pragma once
/// Metric families and the registry that renders them in the Prometheus text exposition
/// format (version 0.0.4). A family is one metric name with its HELP text, type and
/// label names; it holds one series per set of label values. Label values must come
/// from bounded sets (function names, states, methods): a family holds at most
/// `max_series` series and folds any further label set into one series whose values
/// are all "_other", so a caller bug can never grow memory or a scrape without bound.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agdf/metrics/metric.hpp"

namespace agdf::metrics {

/// Label values beyond a family's max_series all become this.
inline constexpr std::string_view kOverflowLabel = "_other";
inline constexpr std::size_t kDefaultMaxSeries = 1000;

/// What every family shares: its name, HELP, TYPE and label names.
class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, std::string type,
             std::vector<std::string> label_names);
  virtual ~FamilyBase() = default;

  const std::string& name() const noexcept { return name_; }
  /// Appends `# HELP`, `# TYPE` and every series to `out`.
  void render(std::string& out) const;

 protected:
  /// Appends the samples of every series.
  virtual void render_series(std::string& out) const = 0;
  /// `{a="x",b="y"` (no closing brace) for a series' label values; empty with no labels.
  std::string label_text(const std::vector<std::string>& values) const;

  const std::string name_;
  const std::string help_;
  const std::string type_;
  const std::vector<std::string> label_names_;
};

/// One family of counters, gauges or histograms. Look a series up once and keep the
/// reference: it stays valid as long as the registry.
template <typename M>
class Family final : public FamilyBase {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::function<std::unique_ptr<M>()> make, std::size_t max_series);

  /// The series for these label values (given in label-name order), made on first use.
  M& with(std::initializer_list<std::string_view> values);
  M& with(const std::vector<std::string>& values);

 private:
  void render_series(std::string& out) const override;

  std::function<std::unique_ptr<M>()> make_;
  const std::size_t max_series_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<M>> series_;
};

/// A gauge read when scraped (e.g. runs running, from the run manager).
class CallbackGauge final : public FamilyBase {
 public:
  CallbackGauge(std::string name, std::string help, std::function<double()> read);

 private:
  void render_series(std::string& out) const override;
  std::function<double()> read_;
};

/// A constant 1 whose labels carry facts (`agdf_build_info{version="..."} 1`).
class InfoGauge final : public FamilyBase {
 public:
  InfoGauge(std::string name, std::string help,
            std::vector<std::pair<std::string, std::string>> labels);

 private:
  void render_series(std::string& out) const override;
  std::vector<std::string> values_;
};

/// Owns families in registration order and renders them. Registering is not meant for
/// hot paths; updating a metric is lock-free and rendering takes each family's lock
/// briefly. Thread-safe.
class Registry {
 public:
  Family<Counter>& counter_family(std::string name, std::string help,
                                  std::vector<std::string> labels,
                                  std::size_t max_series = kDefaultMaxSeries);
  Family<Gauge>& gauge_family(std::string name, std::string help, std::vector<std::string> labels,
                              std::size_t max_series = kDefaultMaxSeries);
  Family<Histogram>& histogram_family(std::string name, std::string help,
                                      std::vector<std::string> labels,
                                      std::span<const double> bounds,
                                      std::size_t max_series = kDefaultMaxSeries);

  Counter& counter(std::string name, std::string help);
  Gauge& gauge(std::string name, std::string help);
  Histogram& histogram(std::string name, std::string help, std::span<const double> bounds);
  void callback_gauge(std::string name, std::string help, std::function<double()> read);
  void info(std::string name, std::string help,
            std::vector<std::pair<std::string, std::string>> labels);

  /// Every family in the text exposition format, in registration order.
  std::string render() const;

 private:
  template <typename F>
  F& add(std::unique_ptr<F> family);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<FamilyBase>> families_;
};

/// The Content-Type of render()'s text.
inline constexpr std::string_view kExpositionContentType =
    "text/plain; version=0.0.4; charset=utf-8";

}  // namespace agdf::metrics
