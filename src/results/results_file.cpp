#include "results/results_file.hpp"

#include <unistd.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "core/status.hpp"
#include "pipeline/metrics.hpp"
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
  const hsize_t n = d.size(), p = d.parameters.size();
  h5::write(g, "values", flatten(d.values), {n, p});
  h5::write(g, "unit", flatten(d.unit), {n, p});
  h5::write(g, "block", std::vector<std::int64_t>(d.block.begin(), d.block.end()));
  h5::write(g, "moved", std::vector<std::int64_t>(d.moved.begin(), d.moved.end()));
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
  const std::size_t n = d.ids.size(), p = d.parameters.size();
  const auto values = h5::read_doubles(g, "values"), unit = h5::read_doubles(g, "unit");
  if (values.size() != n * p || unit.size() != n * p) throw std::runtime_error("design/values has the wrong shape");
  for (std::size_t i = 0; i < n; ++i) {
    d.values.emplace_back(values.begin() + i * p, values.begin() + (i + 1) * p);
    d.unit.emplace_back(unit.begin() + i * p, unit.begin() + (i + 1) * p);
  }
  for (auto v : h5::read_ints(g, "block")) d.block.push_back(static_cast<int>(v));
  for (auto v : h5::read_ints(g, "moved")) d.moved.push_back(static_cast<int>(v));
  return d;
}

void write_scenarios(hid_t file, const ResultsContent& c) {
  const auto& recs = c.records;
  const std::size_t n = recs.size();
  h5::Handle g = h5::create_group(file, "scenarios");
  std::vector<std::uint64_t> id(n);
  std::vector<std::int64_t> code(n), attempts(n), rank(n);
  std::vector<std::string> status(n), stage(n), message(n), solver(n);
  const auto& metrics = pipeline::scenario_metrics();
  const auto& timings = pipeline::scenario_timings();
  std::vector<std::vector<double>> mcol(metrics.size(), std::vector<double>(n, NAN));
  std::vector<std::vector<double>> tcol(timings.size(), std::vector<double>(n, NAN));
  std::vector<double> head(n * c.shape.head_size(), NAN), station(n * c.shape.station_size(), NAN),
      vm(n * c.shape.voltage_size(), NAN);
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
    std::copy(r.head_mw.begin(), r.head_mw.end(), head.begin() + i * c.shape.head_size());
    std::copy(r.station_mw.begin(), r.station_mw.end(), station.begin() + i * c.shape.station_size());
    std::copy(r.vm_pu.begin(), r.vm_pu.end(), vm.begin() + i * c.shape.voltage_size());
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

  if (c.shape.head || c.shape.station || c.shape.voltage) {
    h5::Handle sg = h5::create_group(file, "series");
    const hsize_t T = c.shape.periods, S = c.shape.stations, B = c.shape.buses;
    if (c.shape.head) h5::write(sg, "head_mw", head, {n, T});
    if (c.shape.station) h5::write(sg, "station_mw", station, {n, S, T});
    if (c.shape.voltage) h5::write(sg, "vm_pu", vm, {n, T, B});
  }
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
  {
    h5::Handle file = h5::create_file(tmp);
    const auto& p = c.provenance;
    h5::attr(file, "kind", std::string("evsweep results"));
    h5::attr(file, "schema_version", static_cast<std::int64_t>(kSchemaVersion));
    h5::attr(file, "study_name", p.study_name);
    h5::attr(file, "description", p.description);
    h5::attr(file, "config_file", p.config_file);
    h5::attr(file, "config_hash", p.config_hash);
    h5::attr(file, "evsweep_version", p.evsweep_version);
    h5::attr(file, "git_sha", p.git_sha);
    h5::attr(file, "created_utc", p.created_utc);
    h5::attr(file, "stages", p.stages);
    h5::attr(file, "max_attempts", static_cast<std::int64_t>(p.max_attempts));
    std::size_t ok = 0, failed = 0, missing = 0;
    for (const auto& r : c.records) {
      if (!r)
        ++missing;
      else if (r->status == 0)
        ++ok;
      else
        ++failed;
    }
    if (c.records.empty()) missing = c.design.size();
    h5::attr(file, "state", std::string(c.records.empty() ? "planned" : missing ? "incomplete" : "complete"));
    h5::attr(file, "scenarios", static_cast<std::int64_t>(c.design.size()));
    h5::attr(file, "scenarios_ok", static_cast<std::int64_t>(ok));
    h5::attr(file, "scenarios_failed", static_cast<std::int64_t>(failed));
    h5::attr(file, "scenarios_missing", static_cast<std::int64_t>(missing));
    h5::write_text(file, "config", p.config_text);
    write_design(file, c.design);
    h5::Handle layout = h5::create_group(file, "layout");
    h5::attr(layout, "periods", static_cast<std::int64_t>(c.shape.periods));
    h5::write(layout, "station_names", c.station_names);
    h5::write(layout, "bus_ids", std::vector<std::int64_t>(c.bus_ids.begin(), c.bus_ids.end()));
    std::vector<std::string> series;
    if (c.shape.head) series.push_back("head_load");
    if (c.shape.station) series.push_back("station_load");
    if (c.shape.voltage) series.push_back("bus_voltage");
    h5::attr(layout, "series", series);
    if (!c.records.empty()) {
      if (c.records.size() != c.design.size()) throw std::logic_error("records do not match the design");
      write_scenarios(file, c);
    }
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
                             std::to_string(kSchemaVersion));
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
  c.design = read_design(file);
  h5::Handle layout = h5::open_group(file, "layout");
  c.shape.periods = static_cast<int>(h5::attr_int(layout, "periods"));
  c.station_names = h5::read_strings(layout, "station_names");
  for (auto b : h5::read_ints(layout, "bus_ids")) c.bus_ids.push_back(static_cast<int>(b));
  c.shape.stations = static_cast<int>(c.station_names.size());
  c.shape.buses = static_cast<int>(c.bus_ids.size());
  for (const auto& s : h5::attr_strings(layout, "series")) {
    c.shape.head |= s == "head_load";
    c.shape.station |= s == "station_load";
    c.shape.voltage |= s == "bus_voltage";
  }
  return c;
}

}  // namespace evs::results
