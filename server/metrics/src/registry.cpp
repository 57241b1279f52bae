#include "agdf/metrics/registry.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace agdf::metrics {
namespace {

void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  // Plain decimals where they are short (0.0005, not 5e-04), as Prometheus's own clients do.
  const double magnitude = std::fabs(value);
  const auto format = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15)
                          ? std::chars_format::fixed
                          : std::chars_format::scientific;
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, format);
  out.append(buf, ec == std::errc() ? end : buf);
}

template <typename N>
void append_integer(std::string& out, N value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, ec == std::errc() ? end : buf);
}

/// HELP text: backslash and line feed escaped.
void append_help(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

/// A label value: backslash, double quote and line feed escaped.
void append_label_value(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

/// Closes a label text made by label_text (adding `extra` labels first), or writes nothing.
void append_labels(std::string& out, const std::string& labels, std::string_view extra = {}) {
  if (labels.empty() && extra.empty()) return;
  if (labels.empty()) {
    out += '{';
    out += extra;
  } else {
    out += labels;
    if (!extra.empty()) {
      out += ',';
      out += extra;
    }
  }
  out += '}';
}

void append_sample(std::string& out, std::string_view name, std::string_view suffix,
                   const std::string& labels, std::string_view extra_label) {
  out += name;
  out += suffix;
  append_labels(out, labels, extra_label);
  out += ' ';
}

void render_one(std::string& out, const std::string& name, const std::string& labels,
                const Counter& counter) {
  append_sample(out, name, "", labels, {});
  append_integer(out, counter.value());
  out += '\n';
}

void render_one(std::string& out, const std::string& name, const std::string& labels,
                const Gauge& gauge) {
  append_sample(out, name, "", labels, {});
  append_integer(out, gauge.value());
  out += '\n';
}

void render_one(std::string& out, const std::string& name, const std::string& labels,
                const Histogram& histogram) {
  const auto counts = histogram.cumulative_counts();
  const auto bounds = histogram.bounds();
  std::string le;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    le = "le=\"";
    if (i < bounds.size())
      append_number(le, bounds[i]);
    else
      le += "+Inf";
    le += '"';
    append_sample(out, name, "_bucket", labels, le);
    append_integer(out, counts[i]);
    out += '\n';
  }
  append_sample(out, name, "_sum", labels, {});
  append_number(out, histogram.sum());
  out += '\n';
  append_sample(out, name, "_count", labels, {});
  append_integer(out, counts.back());
  out += '\n';
}

}  // namespace

// ---- FamilyBase -------------------------------------------------------------------

FamilyBase::FamilyBase(std::string name, std::string help, std::string type,
                       std::vector<std::string> label_names)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(std::move(type)),
      label_names_(std::move(label_names)) {}

void FamilyBase::render(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out += ' ';
  append_help(out, help_);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += type_;
  out += '\n';
  render_series(out);
}

std::string FamilyBase::label_text(const std::vector<std::string>& values) const {
  std::string out;
  for (std::size_t i = 0; i < label_names_.size() && i < values.size(); ++i) {
    out += i == 0 ? '{' : ',';
    out += label_names_[i];
    out += "=\"";
    append_label_value(out, values[i]);
    out += '"';
  }
  return out;
}

// ---- Family -----------------------------------------------------------------------

template <typename M>
Family<M>::Family(std::string name, std::string help, std::vector<std::string> label_names,
                  std::function<std::unique_ptr<M>()> make, std::size_t max_series)
    : FamilyBase(std::move(name), std::move(help),
                 std::is_same_v<M, Counter> ? "counter"
                 : std::is_same_v<M, Gauge> ? "gauge"
                                            : "histogram",
                 std::move(label_names)),
      make_(std::move(make)),
      max_series_(std::max<std::size_t>(max_series, 1)) {}

template <typename M>
M& Family<M>::with(std::initializer_list<std::string_view> values) {
  return with(std::vector<std::string>(values.begin(), values.end()));
}

template <typename M>
M& Family<M>::with(const std::vector<std::string>& values) {
  if (values.size() != label_names_.size())
    throw std::invalid_argument("metric " + name_ + ": wrong number of label values");
  std::lock_guard lock(mutex_);
  if (auto it = series_.find(values); it != series_.end()) return *it->second;
  std::vector<std::string> key = values;
  if (series_.size() + 1 >= max_series_) {
    key.assign(values.size(), std::string(kOverflowLabel));
    if (auto it = series_.find(key); it != series_.end()) return *it->second;
  }
  return *series_.emplace(std::move(key), make_()).first->second;
}

template <typename M>
void Family<M>::render_series(std::string& out) const {
  std::lock_guard lock(mutex_);
  for (const auto& [values, metric] : series_) render_one(out, name_, label_text(values), *metric);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// ---- CallbackGauge and InfoGauge ---------------------------------------------------

CallbackGauge::CallbackGauge(std::string name, std::string help, std::function<double()> read)
    : FamilyBase(std::move(name), std::move(help), "gauge", {}), read_(std::move(read)) {}

void CallbackGauge::render_series(std::string& out) const {
  out += name_;
  out += ' ';
  append_number(out, read_());
  out += '\n';
}

namespace {

std::vector<std::string> names_of(const std::vector<std::pair<std::string, std::string>>& labels) {
  std::vector<std::string> names;
  for (const auto& [name, value] : labels) names.push_back(name);
  return names;
}

}  // namespace

InfoGauge::InfoGauge(std::string name, std::string help,
                     std::vector<std::pair<std::string, std::string>> labels)
    : FamilyBase(std::move(name), std::move(help), "gauge", names_of(labels)) {
  for (auto& [label, value] : labels) values_.push_back(std::move(value));
}

void InfoGauge::render_series(std::string& out) const {
  out += name_;
  append_labels(out, label_text(values_));
  out += " 1\n";
}

// ---- Registry ---------------------------------------------------------------------

template <typename F>
F& Registry::add(std::unique_ptr<F> family) {
  std::lock_guard lock(mutex_);
  for (const auto& existing : families_)
    if (existing->name() == family->name())
      throw std::invalid_argument("metric " + family->name() + " registered twice");
  F& ref = *family;
  families_.push_back(std::move(family));
  return ref;
}

Family<Counter>& Registry::counter_family(std::string name, std::string help,
                                          std::vector<std::string> labels, std::size_t max_series) {
  return add(std::make_unique<Family<Counter>>(
      std::move(name), std::move(help), std::move(labels),
      [] { return std::make_unique<Counter>(); }, max_series));
}

Family<Gauge>& Registry::gauge_family(std::string name, std::string help,
                                      std::vector<std::string> labels, std::size_t max_series) {
  return add(std::make_unique<Family<Gauge>>(
      std::move(name), std::move(help), std::move(labels), [] { return std::make_unique<Gauge>(); },
      max_series));
}

Family<Histogram>& Registry::histogram_family(std::string name, std::string help,
                                              std::vector<std::string> labels,
                                              std::span<const double> bounds,
                                              std::size_t max_series) {
  std::vector<double> kept(bounds.begin(), bounds.end());
  return add(std::make_unique<Family<Histogram>>(
      std::move(name), std::move(help), std::move(labels),
      [kept] { return std::make_unique<Histogram>(kept); }, max_series));
}

Counter& Registry::counter(std::string name, std::string help) {
  return counter_family(std::move(name), std::move(help), {}).with({});
}

Gauge& Registry::gauge(std::string name, std::string help) {
  return gauge_family(std::move(name), std::move(help), {}).with({});
}

Histogram& Registry::histogram(std::string name, std::string help, std::span<const double> bounds) {
  return histogram_family(std::move(name), std::move(help), {}, bounds).with({});
}

void Registry::callback_gauge(std::string name, std::string help, std::function<double()> read) {
  add(std::make_unique<CallbackGauge>(std::move(name), std::move(help), std::move(read)));
}

void Registry::info(std::string name, std::string help,
                    std::vector<std::pair<std::string, std::string>> labels) {
  add(std::make_unique<InfoGauge>(std::move(name), std::move(help), std::move(labels)));
}

std::string Registry::render() const {
  std::string out;
  out.reserve(16 * 1024);
  std::lock_guard lock(mutex_);
  for (const auto& family : families_) family->render(out);
  return out;
}

}  // namespace agdf::metrics
