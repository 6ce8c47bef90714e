#pragma once
// Typed declarations a kind writes once: the model fields a sweep may vary and the metrics
// read from its typed result, with the helpers every kind needs to turn them into the
// generic interface (kind.hpp). Header only.
#include <algorithm>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "config/study.hpp"
#include "core/columns.hpp"
#include "config/study_definition.hpp"
#include "kinds/kind.hpp"

namespace evs::kinds {

// A sweep parameter that sets one double field of the kind's Model (field == nullptr: the
// kind applies it itself, e.g. a discrete choice; index tells which).
template <class Model>
struct TypedParameter {
  config::ParameterInfo info;
  double Model::*field = nullptr;
  int index = -1;
};

template <class Model>
std::vector<config::ParameterInfo> parameter_infos(const std::vector<TypedParameter<Model>>& table) {
  std::vector<config::ParameterInfo> out;
  for (const auto& p : table) out.push_back(p.info);
  return out;
}

// The declaration of `name`; throws std::invalid_argument naming the kind when there is none.
template <class Model>
const TypedParameter<Model>& find_parameter(const std::vector<TypedParameter<Model>>& table, const std::string& name,
                                            const std::string& kind) {
  for (const auto& p : table)
    if (p.info.name == name) return p;
  throw std::invalid_argument(kind + " has no sweep parameter '" + name + "'");
}

// Sets the fields named in values (parameters without a field are left to the kind).
template <class Model>
void apply_fields(Model& model, const std::vector<TypedParameter<Model>>& table,
                  const std::vector<std::pair<std::string, double>>& values, const std::string& kind) {
  for (const auto& [name, value] : values) {
    const auto& p = find_parameter(table, name, kind);
    if (p.field) model.*(p.field) = value;
  }
}

// A metric (or timing) read from the kind's typed result.
template <class Result>
struct TypedMetric {
  std::string name, unit, meaning;
  double (*get)(const Result&);
};

template <class Result>
std::vector<MetricInfo> metric_infos(const std::vector<TypedMetric<Result>>& table) {
  std::vector<MetricInfo> out;
  for (const auto& m : table) out.push_back({m.name, m.unit, m.meaning});
  return out;
}

template <class Result>
std::vector<double> metric_values(const std::vector<TypedMetric<Result>>& table, const Result& r) {
  std::vector<double> out;
  for (const auto& m : table) out.push_back(m.get(r));
  return out;
}

inline bool wants_series(const RunOptions& o, const std::string& name) {
  return std::find(o.keep_series.begin(), o.keep_series.end(), name) != o.keep_series.end();
}

std::vector<std::string> kind_names();  // kinds/registry.hpp

// The parts of StudyKind that every kind declares the same way: its name and summary, its
// study definition (sections, stages, series names, parameters, checks), prepare(), and the
// metric, timing and series tables. A kind derives from it and writes only what is its own:
// describe_study, dimensions, solve and describe_outcome.
template <class Options, class Prepared, class Result>
class DeclaredKind : public StudyKind {
 public:
  struct Declarations {
    std::string name, summary;
    const std::vector<std::string>& (*stages)();
    config::Schema<Options> (*options_schema)();
    std::vector<config::ParameterInfo> (*parameters)();
    void (*check)(const config::Study&, config::ParseContext&);
    Prepared (*prepare)(const config::Study&);
    const std::vector<TypedMetric<Result>>& (*metrics)();
    const std::vector<TypedMetric<Result>>& (*timings)();
    const std::vector<SeriesInfo>& (*series)();
  };
  explicit DeclaredKind(Declarations d)
      : d_(std::move(d)), metrics_(metric_infos(d_.metrics())), timings_(metric_infos(d_.timings())) {}

  const std::string& name() const override { return d_.name; }
  std::string summary() const override { return d_.summary; }
  const config::StudyDefinition& definition() const override {
    std::call_once(defined_, [this] {
      std::vector<std::string> series;
      for (const auto& s : d_.series()) series.push_back(s.name);
      definition_ = std::make_unique<config::StudyDefinition>(config::study_definition<Options>(
          {d_.name, kind_names(), d_.stages(), series}, d_.options_schema(), d_.parameters(), d_.check));
    });
    return *definition_;
  }
  std::shared_ptr<const PreparedData> prepare(const config::Study& study) const override {
    return std::make_shared<Prepared>(d_.prepare(study));
  }
  const std::vector<MetricInfo>& metrics() const override { return metrics_; }
  const std::vector<MetricInfo>& timings() const override { return timings_; }
  const std::vector<SeriesInfo>& series() const override { return d_.series(); }

 private:
  Declarations d_;
  std::vector<MetricInfo> metrics_, timings_;
  mutable std::once_flag defined_;
  mutable std::unique_ptr<config::StudyDefinition> definition_;
};

}  // namespace evs::kinds
