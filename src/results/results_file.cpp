#include "results/results_file.hpp"

#include <unistd.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "core/status.hpp"
#include "results/h5.hpp"

namespace evs::results {

namespace {

std::vector<double> flatten(const std::vector<std::vector<double>>& m) {
  std::vector<double> out;
  for (const auto& row : m) out.insert(out.end(), row.begin(), row.end());
  return out;
}

void write_design(hid_t file, const plan::Design& d) {
  h5::Handle g = h5::create_group(file, "design");
  h5::attr(g, "kind", d.kind);
  h5::attr(g, "seed", static_cast<std::int64_t>(d.seed));
  h5::attr(g, "base_size", static_cast<std::int64_t>(d.base_size));
  h5::attr(g, "morris_levels", static_cast<std::int64_t>(d.morris_levels));
  h5::attr(g, "layout", d.layout);
  h5::write(g, "parameters", d.parameters);
  h5::write(g, "distributions", d.distributions);
  std::vector<std::int64_t> varied(d.varied.begin(), d.varied.end());
  h5::write(g, "varied", varied);
  h5::write(g, "id", d.ids);
  h5::write(g, "draw_key", d.draw_keys);
  const hsize_t n = d.size(), p = d.parameters.size();
  h5::write(g, "values", flatten(d.values), {n, p});
  h5::write(g, "unit", flatten(d.unit), {n, p});
  h5::write(g, "block", std::vector<std::int64_t>(d.block.begin(), d.block.end()));
  h5::write(g, "moved", std::vector<std::int64_t>(d.moved.begin(), d.moved.end()));
  h5::attr(g, "replicates", static_cast<std::int64_t>(d.replicates));
  h5::write(g, "point", d.point);
  h5::write(g, "replicate", std::vector<std::int64_t>(d.replicate.begin(), d.replicate.end()));
}

plan::Design read_design(hid_t file) {
  h5::Handle g = h5::open_group(file, "design");
  plan::Design d;
  d.kind = h5::attr_string(g, "kind");
  d.seed = static_cast<std::uint64_t>(h5::attr_int(g, "seed"));
  d.base_size = static_cast<int>(h5::attr_int(g, "base_size"));
  d.morris_levels = static_cast<int>(h5::attr_int(g, "morris_levels"));
  d.layout = h5::attr_string(g, "layout");
  d.parameters = h5::read_strings(g, "parameters");
  d.distributions = h5::read_strings(g, "distributions");
  for (auto v : h5::read_ints(g, "varied")) d.varied.push_back(v != 0);
  d.ids = h5::read_uints(g, "id");
  d.draw_keys = h5::read_uints(g, "draw_key");
  const std::size_t n = d.ids.size(), p = d.parameters.size();
  if (d.draw_keys.size() != n) throw std::runtime_error("design/draw_key has the wrong shape");
  const auto values = h5::read_doubles(g, "values"), unit = h5::read_doubles(g, "unit");
  if (values.size() != n * p || unit.size() != n * p) throw std::runtime_error("design/values has the wrong shape");
  for (std::size_t i = 0; i < n; ++i) {
    d.values.emplace_back(values.begin() + i * p, values.begin() + (i + 1) * p);
    d.unit.emplace_back(unit.begin() + i * p, unit.begin() + (i + 1) * p);
  }
  for (auto v : h5::read_ints(g, "block")) d.block.push_back(static_cast<int>(v));
  for (auto v : h5::read_ints(g, "moved")) d.moved.push_back(static_cast<int>(v));
  if (h5::exists(g, "point")) {  // files from before sweep.replicates: one row per point
    d.replicates = static_cast<int>(h5::attr_int(g, "replicates"));
    d.point = h5::read_uints(g, "point");
    for (auto v : h5::read_ints(g, "replicate")) d.replicate.push_back(static_cast<int>(v));
  } else {
    d.point.resize(n);
    for (std::size_t i = 0; i < n; ++i) d.point[i] = i;
    d.replicate.assign(n, 0);
  }
  return d;
}

void write_scenarios(hid_t file, const ResultsContent& c) {
  const auto& recs = c.records;
  const auto& lay = c.layout;
  const std::size_t n = recs.size();
  h5::Handle g = h5::create_group(file, "scenarios");
  std::vector<std::uint64_t> id(n);
  std::vector<std::int64_t> code(n), attempts(n), rank(n);
  std::vector<std::string> status(n), stage(n), message(n), solver(n);
  const auto& metrics = lay.metrics;
  const auto& timings = lay.timings;
  std::vector<std::vector<double>> mcol(metrics.size(), std::vector<double>(n, NAN));
  std::vector<std::vector<double>> tcol(timings.size(), std::vector<double>(n, NAN));
  std::vector<std::vector<double>> series(lay.series.size());  // [kept series][scenario * size + i]
  for (std::size_t k = 0; k < lay.series.size(); ++k) series[k].assign(n * lay.series_size(k), NAN);
  for (std::size_t i = 0; i < n; ++i) {
    id[i] = c.design.ids[i];
    if (!recs[i]) {
      code[i] = -1, attempts[i] = 0, rank[i] = -1;
      status[i] = "missing";
      continue;
    }
    const auto& r = *recs[i];
    code[i] = r.status, attempts[i] = r.attempt, rank[i] = r.rank;
    status[i] = std::string(to_string(static_cast<StatusCode>(r.status)));
    stage[i] = r.stage, message[i] = r.message, solver[i] = r.solver_status;
    for (std::size_t k = 0; k < metrics.size(); ++k) mcol[k][i] = r.metrics[k];
    for (std::size_t k = 0; k < timings.size(); ++k) tcol[k][i] = r.timings[k];
    for (std::size_t k = 0; k < lay.series.size(); ++k)
      std::copy(r.series[k].begin(), r.series[k].end(), series[k].begin() + i * lay.series_size(k));
  }
  h5::write(g, "id", id);
  h5::write(g, "status", status);
  h5::write(g, "status_code", code);
  h5::write(g, "attempts", attempts);
  h5::write(g, "failed_stage", stage);
  h5::write(g, "message", message);
  h5::write(g, "solver_status", solver);
  for (std::size_t k = 0; k < metrics.size(); ++k) {
    h5::write(g, metrics[k].name, mcol[k], {n});
    h5::Handle ds(H5Dopen2(g, metrics[k].name.c_str(), H5P_DEFAULT), H5Dclose, "open " + metrics[k].name);
    h5::attr(ds, "unit", metrics[k].unit);
    h5::attr(ds, "meaning", metrics[k].meaning);
  }
  h5::Handle tg = h5::create_group(file, "timings");
  h5::attr(tg, "note", std::string("machine- and load-dependent; not part of the results proper"));
  for (std::size_t k = 0; k < timings.size(); ++k) h5::write(tg, timings[k].name, tcol[k], {n});
  h5::write(tg, "rank", rank);

  if (!lay.series.empty()) {
    h5::Handle sg = h5::create_group(file, "series");
    for (std::size_t k = 0; k < lay.series.size(); ++k) {
      const auto& info = lay.series[k];
      std::vector<hsize_t> dims{n};
      for (auto d : lay.series_shape(k)) dims.push_back(d);
      h5::write(sg, info.dataset, series[k], dims);
      h5::Handle ds(H5Dopen2(sg, info.dataset.c_str(), H5P_DEFAULT), H5Dclose, "open " + info.dataset);
      h5::attr(ds, "unit", info.unit);
      h5::attr(ds, "meaning", info.meaning);
      std::vector<std::string> dim_names{"scenario"};
      dim_names.insert(dim_names.end(), info.dims.begin(), info.dims.end());
      h5::attr(ds, "dims", dim_names);
    }
  }
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  for (std::size_t at = 0;;) {
    const std::size_t comma = s.find(',', at);
    out.push_back(s.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    if (comma == std::string::npos) return out;
    at = comma + 1;
  }
}

// /layout: the kind's columns, the kept series and every dimension with its labels.
void write_layout(hid_t file, const RowLayout& l) {
  h5::Handle g = h5::create_group(file, "layout");
  h5::attr(g, "periods", static_cast<std::int64_t>(l.dimension_size("period")));
  for (const auto& d : l.dimensions) {
    if (d.labels_dataset.empty()) continue;
    if (!d.text_labels.empty() || d.int_labels.empty())
      h5::write(g, d.labels_dataset, d.text_labels);
    else
      h5::write(g, d.labels_dataset, d.int_labels);
  }
  std::vector<std::string> names, datasets, units, meanings, dims, dim_names, dim_labels;
  std::vector<std::int64_t> dim_sizes;
  for (const auto& s : l.series) {
    names.push_back(s.name), datasets.push_back(s.dataset), units.push_back(s.unit), meanings.push_back(s.meaning);
    dims.push_back(join(s.dims));
  }
  h5::attr(g, "series", names);
  h5::attr(g, "series_datasets", datasets);
  h5::attr(g, "series_units", units);
  h5::attr(g, "series_meanings", meanings);
  h5::attr(g, "series_dims", dims);
  for (const auto& d : l.dimensions) {
    dim_names.push_back(d.name), dim_labels.push_back(d.labels_dataset);
    dim_sizes.push_back(static_cast<std::int64_t>(d.size));
  }
  h5::attr(g, "dimensions", dim_names);
  h5::attr(g, "dimension_sizes", dim_sizes);
  h5::attr(g, "dimension_labels", dim_labels);
  for (const auto* table : {&l.metrics, &l.timings}) {
    const std::string prefix = table == &l.metrics ? "metric" : "timing";
    std::vector<std::string> n, u, m;
    for (const auto& c : *table) n.push_back(c.name), u.push_back(c.unit), m.push_back(c.meaning);
    h5::attr(g, prefix + "_names", n);
    h5::attr(g, prefix + "_units", u);
    h5::attr(g, prefix + "_meanings", m);
  }
}

RowLayout read_layout(hid_t file, const std::string& study_kind) {
  RowLayout l;
  l.study_kind = study_kind;
  h5::Handle g = h5::open_group(file, "layout");
  const auto dim_names = h5::attr_strings(g, "dimensions"), dim_labels = h5::attr_strings(g, "dimension_labels");
  const auto dim_sizes = h5::attr_ints(g, "dimension_sizes");
  if (dim_sizes.size() != dim_names.size() || dim_labels.size() != dim_names.size())
    throw std::runtime_error("layout: dimension attributes of different lengths");
  for (std::size_t i = 0; i < dim_names.size(); ++i) {
    Dimension d{dim_names[i], static_cast<std::size_t>(dim_sizes[i]), dim_labels[i], {}, {}};
    if (!d.labels_dataset.empty()) {
      h5::Handle ds(H5Dopen2(g, d.labels_dataset.c_str(), H5P_DEFAULT), H5Dclose, "open layout/" + d.labels_dataset);
      h5::Handle type(H5Dget_type(ds), H5Tclose, "type of layout/" + d.labels_dataset);
      if (H5Tget_class(type) == H5T_STRING)
        d.text_labels = h5::read_strings(g, d.labels_dataset);
      else
        d.int_labels = h5::read_ints(g, d.labels_dataset);
    }
    l.dimensions.push_back(std::move(d));
  }
  const auto names = h5::attr_strings(g, "series"), datasets = h5::attr_strings(g, "series_datasets"),
             units = h5::attr_strings(g, "series_units"), meanings = h5::attr_strings(g, "series_meanings"),
             dims = h5::attr_strings(g, "series_dims");
  for (std::size_t k = 0; k < names.size() && k < datasets.size() && k < units.size() && k < meanings.size() &&
                          k < dims.size();
       ++k)
    l.series.push_back({names[k], datasets[k], units[k], meanings[k], split(dims[k])});
  for (auto* table : {&l.metrics, &l.timings}) {
    const std::string prefix = table == &l.metrics ? "metric" : "timing";
    const auto n = h5::attr_strings(g, prefix + "_names"), u = h5::attr_strings(g, prefix + "_units"),
               m = h5::attr_strings(g, prefix + "_meanings");
    if (u.size() != n.size() || m.size() != n.size()) throw std::runtime_error("layout: " + prefix + " attributes of different lengths");
    for (std::size_t i = 0; i < n.size(); ++i) table->push_back({n[i], u[i], m[i]});
  }
  return l;
}

}  // namespace

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void write_results(const std::string& path, const ResultsContent& c) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  try {
    h5::Handle file = h5::create_file(tmp);
    const auto& p = c.provenance;
    h5::attr(file, "kind", std::string("evsweep results"));
    h5::attr(file, "schema_version", static_cast<std::int64_t>(kSchemaVersion));
    h5::attr(file, "study_kind", c.layout.study_kind);
    h5::attr(file, "study_name", p.study_name);
    h5::attr(file, "description", p.description);
    h5::attr(file, "config_file", p.config_file);
    h5::attr(file, "config_hash", p.config_hash);
    h5::attr(file, "evsweep_version", p.evsweep_version);
    h5::attr(file, "git_sha", p.git_sha);
    h5::attr(file, "created_utc", p.created_utc);
    h5::attr(file, "stages", p.stages);
    h5::attr(file, "max_attempts", static_cast<std::int64_t>(p.max_attempts));
    std::size_t ok = 0, violating = 0, failed = 0, missing = 0;
    for (const auto& r : c.records) {
      if (!r)
        ++missing;
      else if (r->status == 0)
        ++ok;
      else if (r->status == static_cast<int>(StatusCode::infeasible))
        ++violating;
      else
        ++failed;
    }
    if (c.records.empty()) missing = c.design.size();
    h5::attr(file, "state", std::string(c.records.empty() ? "planned" : missing ? "incomplete" : "complete"));
    h5::attr(file, "scenarios", static_cast<std::int64_t>(c.design.size()));
    h5::attr(file, "scenarios_ok", static_cast<std::int64_t>(ok));
    h5::attr(file, "scenarios_violating", static_cast<std::int64_t>(violating));
    h5::attr(file, "scenarios_failed", static_cast<std::int64_t>(failed));
    h5::attr(file, "scenarios_missing", static_cast<std::int64_t>(missing));
    h5::write_text(file, "config", p.config_text);
    if (!p.prepared_inputs.empty()) h5::write_text(file, "prepared_inputs", p.prepared_inputs);
    write_design(file, c.design);
    write_layout(file, c.layout);
    if (!c.records.empty()) {
      if (c.records.size() != c.design.size()) throw std::logic_error("records do not match the design");
      write_scenarios(file, c);
    }
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);  // no half-written file left behind (a full disk)
    throw;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp);
    throw std::runtime_error("cannot write " + path + ": " + ec.message());
  }
}

ResultsContent read_plan(const std::string& path) {
  ResultsContent c;
  h5::Handle file = h5::open_file(path);
  if (!H5Aexists(file, "kind") || h5::attr_string(file, "kind") != "evsweep results")
    throw std::runtime_error(path + ": not an evsweep results file");
  const auto version = h5::attr_int(file, "schema_version");
  if (version != kSchemaVersion)
    throw std::runtime_error(path + ": results schema version " + std::to_string(version) + ", this evsweep reads " +
                             std::to_string(kSchemaVersion) +
                             (version < kSchemaVersion ? " (written by an earlier evsweep: run into a new directory; "
                                                         "evsweep_post still reads it)"
                                                       : ""));
  auto& p = c.provenance;
  p.study_name = h5::attr_string(file, "study_name");
  p.description = h5::attr_string(file, "description");
  p.config_file = h5::attr_string(file, "config_file");
  p.config_hash = h5::attr_string(file, "config_hash");
  p.evsweep_version = h5::attr_string(file, "evsweep_version");
  p.git_sha = h5::attr_string(file, "git_sha");
  p.created_utc = h5::attr_string(file, "created_utc");
  p.stages = h5::attr_strings(file, "stages");
  p.max_attempts = static_cast<int>(h5::attr_int(file, "max_attempts"));
  p.config_text = h5::read_text(file, "config");
  if (h5::exists(file, "prepared_inputs")) p.prepared_inputs = h5::read_text(file, "prepared_inputs");
  c.design = read_design(file);
  c.layout = read_layout(file, h5::attr_string(file, "study_kind"));
  return c;
}

}  // namespace evs::results
