#include "plan/design.hpp"

#include <openturns/OT.hxx>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "config/schema.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"

namespace evs::plan {

namespace {

using config::SweepParameter;

std::string fmt(double v) { return config::format_number(v); }

// The marginal of one parameter, and a description of it.
OT::Distribution marginal(const SweepParameter& p, std::string* text) {
  const std::string& d = p.distribution;
  if (d == "uniform") {
    *text = "uniform(" + fmt(*p.low) + ", " + fmt(*p.high) + ")";
    return OT::Uniform(*p.low, *p.high);
  }
  if (d == "normal") {
    *text = "normal(" + fmt(*p.mean) + ", " + fmt(*p.sd) + ")";
    return OT::Normal(*p.mean, *p.sd);
  }
  if (d == "truncated_normal") {
    *text = "truncated_normal(" + fmt(*p.mean) + ", " + fmt(*p.sd) + ", " + fmt(*p.low) + ", " + fmt(*p.high) + ")";
    return OT::TruncatedNormal(*p.mean, *p.sd, *p.low, *p.high);
  }
  if (d == "lognormal") {
    *text = "lognormal(" + fmt(*p.mean) + ", " + fmt(*p.sd) + ")";
    return OT::LogNormal(*p.mean, *p.sd);
  }
  if (d == "beta") {
    // Given by its mean and standard deviation on [low, high].
    const double w = *p.high - *p.low, m = (*p.mean - *p.low) / w, v = (*p.sd / w) * (*p.sd / w);
    const double common = m * (1 - m) / v - 1;
    *text = "beta(mean " + fmt(*p.mean) + ", sd " + fmt(*p.sd) + ", " + fmt(*p.low) + ", " + fmt(*p.high) + ")";
    return OT::Beta(m * common, (1 - m) * common, *p.low, *p.high);
  }
  if (d == "discrete") {
    OT::Sample points(p.values.size(), 1);
    std::string list;
    for (size_t i = 0; i < p.values.size(); ++i) {
      points(i, 0) = p.values[i];
      list += (i ? ", " : "") + fmt(p.values[i]);
    }
    *text = "discrete(" + list + ")";
    return OT::UserDefined(points);
  }
  *text = "fixed(" + fmt(*p.mean) + ")";
  return OT::Dirac(*p.mean);
}

bool bounded(const SweepParameter& p) {
  return p.distribution == "uniform" || p.distribution == "truncated_normal" || p.distribution == "beta" ||
         p.distribution == "discrete";
}

// Unit-hypercube designs of dimension k (rows of k numbers in [0, 1]).
using UnitRows = std::vector<std::vector<double>>;

UnitRows to_rows(const OT::Sample& s) {
  UnitRows rows(s.getSize(), std::vector<double>(s.getDimension()));
  for (OT::UnsignedInteger i = 0; i < s.getSize(); ++i)
    for (OT::UnsignedInteger j = 0; j < s.getDimension(); ++j) rows[i][j] = s(i, j);
  return rows;
}

OT::ComposedDistribution unit_cube(std::size_t k) {
  OT::Collection<OT::Distribution> m;
  for (std::size_t j = 0; j < k; ++j) m.add(OT::Uniform(0, 1));
  return OT::ComposedDistribution(m);
}

OT::LowDiscrepancyExperiment sobol_experiment(std::size_t k, std::size_t n) {
  OT::LowDiscrepancyExperiment e(OT::SobolSequence(k), unit_cube(k), n, true);
  e.setRandomize(true);  // a random shift modulo 1 (Cranley-Patterson) drawn from the seed
  return e;
}

}  // namespace

std::string text_hash(const std::string& text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

Design make_design(const config::Study& study) {
  const auto& sw = study.sweep;
  Design d;
  d.kind = sw.design;
  d.seed = static_cast<std::uint64_t>(sw.seed);
  d.base_size = sw.scenarios;
  d.morris_levels = sw.morris_levels;
  std::vector<OT::Distribution> marginals;
  std::vector<std::size_t> varied;  // indices of non-fixed parameters
  for (std::size_t j = 0; j < sw.parameters.size(); ++j) {
    const auto& p = sw.parameters[j];
    std::string text;
    try {
      marginals.push_back(marginal(p, &text));
    } catch (const std::exception& e) {
      throw InputError({study.source_file, 0, "sweep.parameters[" + std::to_string(j) + "]"},
                       std::string("cannot build the distribution: ") + e.what());
    }
    d.parameters.push_back(p.name);
    d.distributions.push_back(text);
    d.varied.push_back(p.distribution != "fixed");
    if (p.distribution != "fixed") varied.push_back(j);
  }
  const std::size_t k = varied.size(), n = static_cast<std::size_t>(sw.scenarios);
  OT::RandomGenerator::SetSeed(static_cast<OT::UnsignedInteger>(d.seed));

  UnitRows rows;  // [scenario][varied parameter]
  if (k == 0) {
    rows.assign(d.kind == "grid" ? 1 : n, {});
    d.layout = "every parameter fixed: " + std::to_string(rows.size()) + " identical scenarios";
  } else if (d.kind == "monte_carlo") {
    rows = to_rows(OT::MonteCarloExperiment(unit_cube(k), n).generate());
    d.layout = "independent Monte Carlo draws";
  } else if (d.kind == "lhs") {
    rows = to_rows(OT::LHSExperiment(unit_cube(k), n, false, true).generate());
    d.layout = "Latin hypercube, one point per stratum and parameter, random position within the stratum";
  } else if (d.kind == "sobol") {
    rows = to_rows(sobol_experiment(k, n).generate());
    d.layout = "Sobol sequence with a random shift modulo 1 (Cranley-Patterson)";
  } else if (d.kind == "saltelli") {
    // A and B from one randomised Sobol sequence (OpenTURNS draws 2k dimensions and splits
    // them), then A with column i from B.
    OT::SobolIndicesExperiment e(sobol_experiment(k, n), false);
    rows = to_rows(e.generate());
    d.layout = "Saltelli: rows 1..N block A, N+1..2N block B, then for each varied parameter i a block of N "
               "rows equal to A with column i taken from B (OpenTURNS SobolIndicesExperiment); N = " +
               std::to_string(n);
  } else if (d.kind == "morris") {
    // r trajectories of k + 1 points on a p-level grid, each moving one parameter by
    // delta = p / (2 (p - 1)) (Morris 1991); draws from the study's design stream.
    const int p = sw.morris_levels;
    const double step = p / (2.0 * (p - 1));
    const int low_levels = p - static_cast<int>(std::lround(step * (p - 1)));  // base levels that can move up
    RandomStream rng(d.seed, 0, stream_design);
    for (std::size_t t = 0; t < n; ++t) {
      std::vector<double> x(k);
      std::vector<double> sign(k);
      for (std::size_t j = 0; j < k; ++j) {
        const int level = std::min(low_levels - 1, static_cast<int>(rng.uniform() * low_levels));
        x[j] = level / static_cast<double>(p - 1);
        sign[j] = rng.uniform() < 0.5 ? 1.0 : -1.0;
        if (sign[j] < 0) x[j] += step;
      }
      std::vector<std::size_t> order(k);
      std::iota(order.begin(), order.end(), 0);
      for (std::size_t j = k; j > 1; --j) std::swap(order[j - 1], order[static_cast<std::size_t>(rng.uniform() * j)]);
      rows.push_back(x);
      d.block.push_back(static_cast<int>(t));
      d.moved.push_back(-1);
      for (std::size_t j : order) {
        x[j] += sign[j] * step;
        rows.push_back(x);
        d.block.push_back(static_cast<int>(t));
        d.moved.push_back(static_cast<int>(varied[j]));
      }
    }
    d.layout = "Morris: " + std::to_string(n) + " trajectories of k + 1 rows on a " + std::to_string(p) +
               "-level grid; each row after a trajectory's first moves one parameter (column 'moved') by " +
               fmt(step) + " in probability space";
  } else {  // grid
    std::vector<std::vector<double>> axes(k);
    for (std::size_t j = 0; j < k; ++j) {
      const auto& par = sw.parameters[varied[j]];
      if (par.distribution == "discrete") {
        const std::size_t m = par.values.size();
        for (std::size_t i = 0; i < m; ++i) axes[j].push_back((i + 0.5) / static_cast<double>(m));
      } else if (bounded(par) && n > 1) {
        for (std::size_t i = 0; i < n; ++i) axes[j].push_back(i / static_cast<double>(n - 1));
      } else {
        for (std::size_t i = 0; i < n; ++i) axes[j].push_back((i + 0.5) / static_cast<double>(n));
      }
    }
    // Last parameter varies fastest.
    std::vector<std::size_t> at(k, 0);
    while (true) {
      std::vector<double> x(k);
      for (std::size_t j = 0; j < k; ++j) x[j] = axes[j][at[j]];
      rows.push_back(x);
      std::size_t j = k;
      while (j > 0 && ++at[j - 1] == axes[j - 1].size()) at[--j] = 0;
      if (j == 0) break;
    }
    d.layout = "full grid, last parameter fastest; bounded parameters from low to high, others at the "
               "quantiles (i + 0.5) / n; discrete parameters at each value";
  }
  if (d.block.empty()) {
    d.block.assign(rows.size(), 0);
    d.moved.assign(rows.size(), -1);
    if (d.kind == "saltelli")
      for (std::size_t i = 0; i < rows.size(); ++i) d.block[i] = static_cast<int>(i / n);
  }

  // Unit values -> model values through each marginal's quantile function. Unbounded
  // marginals are kept off the infinite ends of the grid and Morris designs.
  const std::size_t np = sw.parameters.size();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<double> value(np), unit(np, 0.5);
    for (std::size_t j = 0, v = 0; j < np; ++j) {
      if (!d.varied[j]) {
        value[j] = *sw.parameters[j].mean;
        continue;
      }
      double u = rows[i][v++];
      unit[j] = u;
      if (!bounded(sw.parameters[j])) u = std::clamp(u, 0.005, 0.995);
      value[j] = marginals[j].computeQuantile(std::clamp(u, 0.0, 1.0))[0];
    }
    d.ids.push_back(i + 1);
    if (d.kind == "saltelli" && n > 0)
      d.draw_keys.push_back(d.block[i] == 1 ? n + i % n + 1 : i % n + 1);
    else if (d.kind == "morris")
      d.draw_keys.push_back(static_cast<std::uint64_t>(d.block[i]) + 1);
    else
      d.draw_keys.push_back(i + 1);
    d.values.push_back(std::move(value));
    d.unit.push_back(std::move(unit));
  }
  d.replicates = std::max(1, sw.replicates);
  d.point.resize(d.ids.size());
  std::iota(d.point.begin(), d.point.end(), std::uint64_t{0});
  d.replicate.assign(d.ids.size(), 0);
  if (d.replicates > 1) {
    const std::uint64_t span = d.draw_keys.empty() ? 0 : *std::max_element(d.draw_keys.begin(), d.draw_keys.end());
    Design r = d;
    r.ids.clear(), r.draw_keys.clear(), r.values.clear(), r.unit.clear(), r.block.clear(), r.moved.clear();
    r.point.clear(), r.replicate.clear();
    for (std::size_t i = 0; i < d.ids.size(); ++i)
      for (int k = 0; k < d.replicates; ++k) {
        r.ids.push_back(r.ids.size() + 1);
        r.draw_keys.push_back(d.draw_keys[i] + static_cast<std::uint64_t>(k) * span);
        r.values.push_back(d.values[i]);
        r.unit.push_back(d.unit[i]);
        r.block.push_back(d.block[i]);
        r.moved.push_back(d.moved[i]);
        r.point.push_back(i);
        r.replicate.push_back(k);
      }
    r.layout += "; every design point repeated " + std::to_string(d.replicates) +
                " times in consecutive rows (design/point, design/replicate), replicate r drawing with key + r x " +
                std::to_string(span);
    return r;
  }
  return d;
}

std::vector<std::pair<std::string, double>> scenario_values(const Design& d, std::size_t row) {
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t j = 0; j < d.parameters.size(); ++j) out.emplace_back(d.parameters[j], d.values[row][j]);
  return out;
}

}  // namespace evs::plan
