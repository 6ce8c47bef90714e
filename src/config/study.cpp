#include "config/study.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "config/study_definition.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace evs::config {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Values a parameter's distribution can take must lie within the model field's bounds.
void check_range(const SweepParameter& p, const ParameterInfo& info, const std::string& key, ParseContext& ctx) {
  const std::string range = detail::bounds_text(info.lower, info.upper);
  auto outside = [&](double v) { return v < info.lower || v > info.upper; };
  auto refuse = [&](const char* field, double v) {
    ctx.error_key(key + "." + field, "value " + format_number(v) + " is outside the range of " + p.name + ", " + range);
  };
  const std::string& d = p.distribution;
  if (d == "fixed" && p.mean && outside(*p.mean)) refuse("mean", *p.mean);
  if (d == "uniform" || d == "truncated_normal" || d == "beta") {
    if (p.low && outside(*p.low)) refuse("low", *p.low);
    if (p.high && outside(*p.high)) refuse("high", *p.high);
  }
  if (d == "discrete")
    for (std::size_t j = 0; j < p.values.size(); ++j)
      if (outside(p.values[j])) refuse(("values[" + std::to_string(j) + "]").c_str(), p.values[j]);
  // Unbounded distributions: their central mass (mean +- 5 sd, all but ~6e-7) must fit.
  if (d == "normal" && p.mean && p.sd && (outside(*p.mean - 5 * *p.sd) || outside(*p.mean + 5 * *p.sd)))
    ctx.error_key(key + ".distribution", "normal(" + format_number(*p.mean) + ", " + format_number(*p.sd) +
                                             ") leaves the range of " + p.name + ", " + range +
                                             "; use truncated_normal with low and high");
  if (d == "lognormal" && p.mean && p.sd &&
      (outside(std::exp(*p.mean - 5 * *p.sd)) || outside(std::exp(*p.mean + 5 * *p.sd))))
    ctx.error_key(key + ".distribution", "lognormal(" + format_number(*p.mean) + ", " + format_number(*p.sd) +
                                             ") leaves the range of " + p.name + ", " + range +
                                             "; use truncated_normal or beta with low and high");
}

Schema<SweepParameter> parameter_schema() {
  Schema<SweepParameter> s;
  s.string("name", &SweepParameter::name, std::nullopt, "Model quantity to vary (see 'Sweep parameters' below)")
      .choice("distribution", &SweepParameter::distribution, "uniform",
              {"fixed", "uniform", "normal", "truncated_normal", "lognormal", "beta", "discrete"},
              "Distribution the values are drawn from")
      .optional_number("low", &SweepParameter::low, -kInf, kInf, "", "Lower bound (uniform, truncated_normal, beta)")
      .optional_number("high", &SweepParameter::high, -kInf, kInf, "", "Upper bound (uniform, truncated_normal, beta)")
      .optional_number("mean", &SweepParameter::mean, -kInf, kInf, "",
                       "Mean (normal, truncated_normal, lognormal: of the log), or the value (fixed)")
      .optional_number("sd", &SweepParameter::sd, 0, kInf, "",
                       "Standard deviation (normal, truncated_normal, beta; lognormal: of the log)")
      .numbers("values", &SweepParameter::values, -kInf, kInf, "", "Values of a discrete parameter (equally likely)");
  return s;
}

}  // namespace

Schema<SolverOptions> solver_schema() {
  Schema<SolverOptions> s;
  s.choice("pf_method", &SolverOptions::pf_method, "newton", {"newton", "sweep"},
           "AC power flow: Newton-Raphson (any network) or backward/forward sweep (radial only)")
      .number("pf_tolerance_pu", &SolverOptions::pf_tolerance_pu, 1e-8, 1e-14, 1, "pu",
              "Power-flow convergence: largest P or Q mismatch")
      .integer("pf_max_iterations", &SolverOptions::pf_max_iterations, 30, 1, 10000, "", "Power-flow iteration limit")
      .choice("log_level", &SolverOptions::log_level, "info", {"debug", "info", "warn", "error", "off"},
              "Least severe log message shown");
  return s;
}

Schema<SweepOptions> sweep_schema() {
  Schema<SweepOptions> s;
  s.choice("design", &SweepOptions::design, "monte_carlo",
           {"grid", "monte_carlo", "lhs", "sobol", "saltelli", "morris"}, "Sampling design")
      .integer("scenarios", &SweepOptions::scenarios, 100, 1, 100000000, "",
               "Size of the design: scenarios (monte_carlo, lhs, sobol), points per parameter (grid), base "
               "sample N giving N (d + 2) scenarios (saltelli), trajectories giving r (d + 1) scenarios (morris)")
      .integer("seed", &SweepOptions::seed, 1, 0, 4294967295LL, "", "Seed of every random draw in the study")
      .integer("morris_levels", &SweepOptions::morris_levels, 4, 2, 1000, "",
               "Morris: number of grid levels p per parameter (the step is p / (2 (p - 1)))")
      .integer("replicates", &SweepOptions::replicates, 1, 1, 10000, "",
               "Scenarios per design point, each with its own random draws (EV trips, OD draws, ...): "
               "evsweep_post averages them per point for the indices and reports the noise's share of the variance")
      .list("parameters", &SweepOptions::parameters, parameter_schema(), "Uncertain parameters")
      .number("timeout_s", &SweepOptions::timeout_s, 600, 0.001, 1e7, "s",
              "Wall-clock limit of one attempt at one scenario; a scenario over it fails with status timeout")
      .integer("max_attempts", &SweepOptions::max_attempts, 2, 1, 100, "",
               "Attempts per scenario for failures that may pass on retry (timeout, numerical_error, "
               "not_converged, internal_error); later attempts use the solvers' robust settings")
      .integer("chunk", &SweepOptions::chunk, 1, 1, 1000000, "",
               "Scenarios a rank takes per request to the shared counter (raise for sub-millisecond scenarios)");
  return s;
}

Schema<OutputOptions> output_schema(const std::vector<std::string>& series) {
  Schema<OutputOptions> s;
  s.string("directory", &OutputOptions::directory, "",
           "Results directory (relative to the working directory); empty: results/<study.name>; "
           "'evsweep run -o' overrides it")
      .choices("series", &OutputOptions::series, {}, series,
               "Per-scenario time series stored in the results file (see docs/results-schema.md)")
      .number("flush_interval_s", &OutputOptions::flush_interval_s, 10, 0, 86400, "s",
              "Finished scenarios reach the disk at least this often (0: after every scenario)")
      .number("progress_interval_s", &OutputOptions::progress_interval_s, 10, 0.1, 86400, "s",
              "Interval of the progress lines printed when stderr is not a terminal");
  return s;
}

namespace {

void check_parameters(const Study& s, const StudyDefinition& def, ParseContext& ctx) {
  std::vector<std::string> names;
  for (const auto& p : def.parameters) names.push_back(p.name);
  for (size_t i = 0; i < s.sweep.parameters.size(); ++i) {
    const auto& p = s.sweep.parameters[i];
    const std::string key = "sweep.parameters[" + std::to_string(i) + "]";
    if (std::find(names.begin(), names.end(), p.name) == names.end()) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      ctx.error_key(key + ".name", "unknown parameter '" + p.name + "'" + detail::suggestion(p.name, names) +
                                       "; the parameters of kind " + def.kind + ": " +
                                       (list.empty() ? "(none)" : list));
      continue;
    }
    const std::string& d = p.distribution;
    auto need = [&](const std::optional<double>& v, const char* field) {
        if (!v) ctx.error_key(key + "." + field, "required by distribution '" + d + "'");
    };
    if (d == "fixed") need(p.mean, "mean");
    if (d == "uniform" || d == "truncated_normal" || d == "beta") {
      need(p.low, "low");
      need(p.high, "high");
      if (p.low && p.high && !(*p.low < *p.high)) ctx.error_key(key + ".high", "must be greater than low");
    }
    if (d == "normal" || d == "truncated_normal" || d == "lognormal" || d == "beta") {
      need(p.mean, "mean");
      need(p.sd, "sd");
      if (p.sd && *p.sd <= 0) ctx.error_key(key + ".sd", "must be positive");
    }
    if (d == "beta" && p.low && p.high && p.mean && p.sd && *p.low < *p.high) {
      const double w = *p.high - *p.low, m = (*p.mean - *p.low) / w;
      if (!(m > 0 && m < 1))
        ctx.error_key(key + ".mean", "a beta mean must lie strictly between low and high");
      else if (!(*p.sd / w * (*p.sd / w) < m * (1 - m)))
        ctx.error_key(key + ".sd", "too large for a beta distribution with this mean (sd^2 < (mean-low)(high-mean))");
    }
    if (d == "discrete" && p.values.empty()) ctx.error_key(key + ".values", "a discrete parameter needs values");
    check_range(p, *std::find_if(def.parameters.begin(), def.parameters.end(),
                                 [&](const ParameterInfo& info) { return info.name == p.name; }),
                key, ctx);
    for (size_t j = 0; j < i; ++j)
      if (s.sweep.parameters[j].name == p.name)
        ctx.error_key(key + ".name", "'" + p.name + "' is already sweep.parameters[" + std::to_string(j) + "]");
  }
  const std::string& design = s.sweep.design;
  if ((design == "saltelli" || design == "morris") &&
      std::none_of(s.sweep.parameters.begin(), s.sweep.parameters.end(),
                   [](const SweepParameter& p) { return p.distribution != "fixed"; }))
    ctx.error_key("sweep.design", "'" + design + "' needs at least one parameter that is not fixed");
  if (design == "grid") {
    double points = 1;
    for (const auto& p : s.sweep.parameters)
      points *= p.distribution == "discrete" ? static_cast<double>(p.values.size())
                : p.distribution == "fixed"  ? 1.0
                                             : s.sweep.scenarios;
    if (points > 1e8)
      ctx.error_key("sweep.scenarios", "a full grid of " + format_number(s.sweep.scenarios) +
                                           " points per parameter has " + format_number(points) +
                                           " scenarios (at most 1e8)");
  }
}

}  // namespace

Schema<StudyInfo> study_info_schema(const KindSpec& spec) {
  Schema<StudyInfo> s;
  s.string("name", &StudyInfo::name, "study", "Short name, used in logs and the results file")
      .string("description", &StudyInfo::description, "", "Free text stored with the results")
      .choice("kind", &StudyInfo::kind, spec.name, spec.known_kinds,
              "Study kind: which model each scenario solves (`evsweep kinds`); its sections follow");
  if (!spec.stages.empty())
    s.choices("stages", &StudyInfo::stages, spec.stages, spec.stages,
              "Stages run per scenario, in the kind's order (docs/kinds/" + spec.name + ".md)");
  return s;
}


ConfigError::ConfigError(std::vector<std::string> errors)
    : std::runtime_error([&] {
        std::string all;
        for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
        return all;
      }()),
      errors_(std::move(errors)) {}

std::string located_error(const Study& study, const std::string& key, const std::string& message) {
  ParseContext ctx;
  ctx.file = study.source_file;
  ctx.key_lines = study.key_lines;
  ctx.error_key(key, message);
  return ctx.errors.front();
}

std::optional<KindMention> find_kind(const std::string& text) {
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap() || !root["study"] || !root["study"].IsMap()) return std::nullopt;
    const YAML::Node study = root["study"];
    for (auto it = study.begin(); it != study.end(); ++it)
      if (it->first.Scalar() == "kind" && it->second.IsScalar()) return KindMention{it->second.Scalar(), line_of(it->first)};
  } catch (const YAML::Exception&) {
  }
  return std::nullopt;
}

namespace {

// "a.b.c=value": sets that scalar, or list when value is "[...]", in the YAML tree (creating
// maps on the way).
void apply_override(YAML::Node& root, const std::string& assignment, ParseContext& ctx) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    ctx.error_at(0, "--set " + assignment, "expected KEY=VALUE, e.g. dispatch.formulation=exact");
    return;
  }
  const std::string key = assignment.substr(0, eq), value = assignment.substr(eq + 1);
  std::vector<std::string> path;
  for (std::size_t at = 0;;) {
    const std::size_t dot = key.find('.', at);
    path.push_back(key.substr(at, dot == std::string::npos ? std::string::npos : dot - at));
    if (dot == std::string::npos) break;
    at = dot + 1;
  }
  std::vector<YAML::Node> chain{root};
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    YAML::Node next = chain.back()[path[i]];
    if (next.IsDefined() && !next.IsNull() && !next.IsMap()) {
      ctx.error_at(0, "--set " + key, "'" + path[i] + "' is not a section");
      return;
    }
    chain.push_back(next);
  }
  if (!value.empty() && value.front() == '[') {  // a list in YAML's flow style: [1, 2, 3]
    try {
      const YAML::Node list = YAML::Load(value);
      if (list.IsSequence()) {
        chain.back()[path.back()] = list;
        return;
      }
    } catch (const YAML::Exception&) {
    }
    ctx.error_at(0, "--set " + key, "'" + value + "' is not a list like [1, 2, 3]");
    return;
  }
  chain.back()[path.back()] = value;
}

}  // namespace

Study parse_study(const std::string& text, const std::string& source_name, const std::string& base_dir,
                  const StudyDefinition& def, const std::vector<std::string>& overrides) {
  ParseContext ctx;
  ctx.file = source_name;
  ctx.base_dir = base_dir;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    ctx.error_at(e.mark.line >= 0 ? e.mark.line + 1 : 0, "(syntax)", e.msg);
    throw ConfigError(ctx.errors);
  }
  Study s;
  s.kind_options = def.make_options();
  def.schema.apply_defaults(s);
  if (!root.IsDefined() || root.IsNull()) {
    ctx.error_key("(top level)", "the study file is empty");
    throw ConfigError(ctx.errors);
  }
  if (!overrides.empty() && root.IsMap()) {
    for (const auto& o : overrides) apply_override(root, o, ctx);
    if (!ctx.errors.empty()) throw ConfigError(ctx.errors);
  }
  def.schema.parse(s, root, ctx, "");
  if (ctx.errors.empty()) {
    check_parameters(s, def, ctx);
    if (def.check) def.check(s, ctx);
  }
  if (!ctx.errors.empty()) throw ConfigError(ctx.errors);
  if (s.study.kind.empty()) s.study.kind = def.kind;
  s.source_file = source_name;
  s.source_text = text;
  s.key_lines = ctx.key_lines;
  return s;
}

Study load_study(const std::string& path, const StudyDefinition& def, const std::vector<std::string>& overrides) {
  std::string text;
  try {
    text = read_file_text(path);
  } catch (const InputError& e) {
    throw ConfigError({e.what()});
  }
  const auto dir = std::filesystem::absolute(path).parent_path();
  return parse_study(text, path, dir.string(), def, overrides);
}

std::vector<OptionDoc> option_reference(const StudyDefinition& def) {
  std::vector<OptionDoc> docs;
  def.schema.document(docs, "");
  return docs;
}

}  // namespace evs::config
