#include "results/part_file.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "pipeline/metrics.hpp"
#include "results/h5.hpp"

namespace evs::results {

namespace {

constexpr int kPartVersion = 1;
constexpr std::size_t kStage = 16, kSolver = 48, kMessage = 256;

std::vector<std::string> metric_names() {
  std::vector<std::string> out;
  for (const auto& m : pipeline::scenario_metrics()) out.push_back(m.name);
  return out;
}
std::vector<std::string> timing_names() {
  std::vector<std::string> out;
  for (const auto& m : pipeline::scenario_timings()) out.push_back(m.name);
  return out;
}

// Byte layout of one row (packed) and its HDF5 compound type.
struct RowLayout {
  std::size_t id = 0, attempt = 0, status = 0, rank = 0, valid = 0, stage = 0, solver = 0, message = 0, metrics = 0,
              timings = 0, head = 0, station = 0, vm = 0, size = 0;
  std::size_t n_metrics = 0, n_timings = 0;
  SeriesShape shape;
  h5::Handle type;

  RowLayout(std::size_t metrics_count, std::size_t timings_count, const SeriesShape& s)
      : n_metrics(metrics_count), n_timings(timings_count), shape(s) {
    std::size_t at = 0;
    auto place = [&](std::size_t bytes) {
      const std::size_t here = at;
      at += bytes;
      return here;
    };
    id = place(8);
    attempt = place(4);
    status = place(4);
    rank = place(4);
    valid = place(1);
    stage = place(kStage);
    solver = place(kSolver);
    message = place(kMessage);
    metrics = place(8 * n_metrics);
    timings = place(8 * n_timings);
    head = place(8 * shape.head_size());
    station = place(8 * shape.station_size());
    vm = place(8 * shape.voltage_size());
    size = at;
    type = h5::Handle(H5Tcreate(H5T_COMPOUND, size), H5Tclose, "row type");
    h5::check(H5Tinsert(type, "id", id, H5T_NATIVE_UINT64), "row type id");
    h5::check(H5Tinsert(type, "attempt", attempt, H5T_NATIVE_INT32), "row type attempt");
    h5::check(H5Tinsert(type, "status", status, H5T_NATIVE_INT32), "row type status");
    h5::check(H5Tinsert(type, "rank", rank, H5T_NATIVE_INT32), "row type rank");
    h5::check(H5Tinsert(type, "valid", valid, H5T_NATIVE_UINT8), "row type valid");
    insert_string("stage", stage, kStage);
    insert_string("solver_status", solver, kSolver);
    insert_string("message", message, kMessage);
    insert_array("metrics", metrics, n_metrics);
    insert_array("timings", timings, n_timings);
    insert_array("head_mw", head, shape.head_size());
    insert_array("station_mw", station, shape.station_size());
    insert_array("vm_pu", vm, shape.voltage_size());
  }

  void insert_string(const char* name, std::size_t offset, std::size_t n) {
    h5::Handle t = h5::string_type(n);
    h5::check(H5Tinsert(type, name, offset, t), std::string("row type ") + name);
  }
  void insert_array(const char* name, std::size_t offset, std::size_t n) {
    if (n == 0) return;
    const hsize_t dims = n;
    h5::Handle t(H5Tarray_create2(H5T_NATIVE_DOUBLE, 1, &dims), H5Tclose, std::string("array type ") + name);
    h5::check(H5Tinsert(type, name, offset, t), std::string("row type ") + name);
  }

  void encode(const ScenarioRecord& r, char* out) const {
    std::memset(out, 0, size);
    const std::uint8_t one = 1;
    std::memcpy(out + id, &r.id, 8);
    const std::int32_t a = r.attempt, st = r.status, rk = r.rank;
    std::memcpy(out + attempt, &a, 4);
    std::memcpy(out + status, &st, 4);
    std::memcpy(out + rank, &rk, 4);
    std::memcpy(out + valid, &one, 1);
    std::memcpy(out + stage, r.stage.data(), std::min(r.stage.size(), kStage - 1));
    std::memcpy(out + solver, r.solver_status.data(), std::min(r.solver_status.size(), kSolver - 1));
    std::memcpy(out + message, r.message.data(), std::min(r.message.size(), kMessage - 1));
    copy_doubles(r.metrics, n_metrics, out + metrics);
    copy_doubles(r.timings, n_timings, out + timings);
    copy_doubles(r.head_mw, shape.head_size(), out + head);
    copy_doubles(r.station_mw, shape.station_size(), out + station);
    copy_doubles(r.vm_pu, shape.voltage_size(), out + vm);
  }

  bool decode(const char* in, ScenarioRecord& r) const {
    if (in[valid] != 1) return false;
    std::memcpy(&r.id, in + id, 8);
    std::int32_t a, st, rk;
    std::memcpy(&a, in + attempt, 4);
    std::memcpy(&st, in + status, 4);
    std::memcpy(&rk, in + rank, 4);
    r.attempt = a, r.status = st, r.rank = rk;
    r.stage.assign(in + stage, strnlen(in + stage, kStage));
    r.solver_status.assign(in + solver, strnlen(in + solver, kSolver));
    r.message.assign(in + message, strnlen(in + message, kMessage));
    r.metrics = doubles(in + metrics, n_metrics);
    r.timings = doubles(in + timings, n_timings);
    r.head_mw = doubles(in + head, shape.head_size());
    r.station_mw = doubles(in + station, shape.station_size());
    r.vm_pu = doubles(in + vm, shape.voltage_size());
    return true;
  }

  static void copy_doubles(const std::vector<double>& v, std::size_t n, char* out) {
    if (v.size() != n) throw std::logic_error("row field has the wrong length");
    if (n) std::memcpy(out, v.data(), 8 * n);
  }
  static std::vector<double> doubles(const char* in, std::size_t n) {
    std::vector<double> v(n);
    if (n) std::memcpy(v.data(), in, 8 * n);
    return v;
  }
};

void write_shape(hid_t obj, const SeriesShape& s) {
  h5::attr(obj, "periods", static_cast<std::int64_t>(s.periods));
  h5::attr(obj, "stations", static_cast<std::int64_t>(s.stations));
  h5::attr(obj, "buses", static_cast<std::int64_t>(s.buses));
  h5::attr(obj, "series_head", static_cast<std::int64_t>(s.head));
  h5::attr(obj, "series_station", static_cast<std::int64_t>(s.station));
  h5::attr(obj, "series_voltage", static_cast<std::int64_t>(s.voltage));
}

SeriesShape read_shape(hid_t obj) {
  SeriesShape s;
  s.periods = static_cast<int>(h5::attr_int(obj, "periods"));
  s.stations = static_cast<int>(h5::attr_int(obj, "stations"));
  s.buses = static_cast<int>(h5::attr_int(obj, "buses"));
  s.head = h5::attr_int(obj, "series_head") != 0;
  s.station = h5::attr_int(obj, "series_station") != 0;
  s.voltage = h5::attr_int(obj, "series_voltage") != 0;
  return s;
}

}  // namespace

struct PartWriter::Impl {
  RowLayout layout;
  h5::Handle file, rows;
  Impl(const PartHeader& h) : layout(pipeline::scenario_metrics().size(), pipeline::scenario_timings().size(), h.shape) {}
};

PartWriter::PartWriter(const std::string& path, const PartHeader& header, double flush_interval_s)
    : path_(path), interval_(flush_interval_s) {
  impl_ = std::make_unique<Impl>(header);
  auto& im = *impl_;
  im.file = h5::create_file(path);
  h5::attr(im.file, "kind", std::string("evsweep part file"));
  h5::attr(im.file, "part_version", static_cast<std::int64_t>(kPartVersion));
  h5::attr(im.file, "config_hash", header.config_hash);
  h5::attr(im.file, "run_tag", header.run_tag);
  h5::attr(im.file, "rank", static_cast<std::int64_t>(header.rank));
  h5::attr(im.file, "metric_names", metric_names());
  h5::attr(im.file, "timing_names", timing_names());
  write_shape(im.file, header.shape);
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  const hsize_t chunk = std::max<hsize_t>(1, 65536 / im.layout.size);
  h5::Handle space(H5Screate_simple(1, &zero, &unlimited), H5Sclose, "row space");
  h5::Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset properties");
  h5::check(H5Pset_chunk(plist, 1, &chunk), "set chunk");
  std::vector<char> fill(im.layout.size, 0);  // valid = 0 for rows never written
  h5::check(H5Pset_fill_value(plist, im.layout.type, fill.data()), "set fill value");
  im.rows = h5::Handle(H5Dcreate2(im.file, "rows", im.layout.type, space, H5P_DEFAULT, plist, H5P_DEFAULT), H5Dclose,
                       "create rows in " + path);
  h5::check(H5Fflush(im.file, H5F_SCOPE_GLOBAL), "flush " + path);
}

PartWriter::~PartWriter() {
  try {
    flush();
  } catch (...) {
  }
}

void PartWriter::add(const ScenarioRecord& record) {
  pending_.push_back(record);
  if (since_flush_.seconds() >= interval_) flush();
}

void PartWriter::flush() {
  since_flush_.restart();
  if (pending_.empty() || !impl_) return;
  auto& im = *impl_;
  const hsize_t start = written_, count = pending_.size(), total = start + count;
  std::vector<char> buf(count * im.layout.size);
  for (std::size_t i = 0; i < pending_.size(); ++i) im.layout.encode(pending_[i], buf.data() + i * im.layout.size);
  h5::check(H5Dset_extent(im.rows, &total), "extend rows of " + path_);
  h5::Handle fspace(H5Dget_space(im.rows), H5Sclose, "row space");
  h5::check(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, &start, nullptr, &count, nullptr), "select rows");
  h5::Handle mspace(H5Screate_simple(1, &count, nullptr), H5Sclose, "memory space");
  h5::check(H5Dwrite(im.rows, im.layout.type, mspace, fspace, H5P_DEFAULT, buf.data()), "write rows to " + path_);
  h5::check(H5Fflush(im.file, H5F_SCOPE_GLOBAL), "flush " + path_);
  written_ = total;
  pending_.clear();
}

PartContents read_part(const std::string& path) {
  PartContents out;
  h5::Handle file = h5::open_file(path);
  if (!H5Aexists(file, "kind") || h5::attr_string(file, "kind") != "evsweep part file")
    throw std::runtime_error(path + ": not an evsweep part file");
  if (h5::attr_int(file, "part_version") != kPartVersion)
    throw std::runtime_error(path + ": part file version " + std::to_string(h5::attr_int(file, "part_version")) +
                             ", this evsweep reads version " + std::to_string(kPartVersion));
  if (h5::attr_strings(file, "metric_names") != metric_names() || h5::attr_strings(file, "timing_names") != timing_names())
    throw std::runtime_error(path + ": written by an evsweep with other metrics; merge it with that version");
  out.header.config_hash = h5::attr_string(file, "config_hash");
  out.header.run_tag = h5::attr_string(file, "run_tag");
  out.header.rank = static_cast<int>(h5::attr_int(file, "rank"));
  out.header.shape = read_shape(file);
  RowLayout layout(metric_names().size(), timing_names().size(), out.header.shape);
  h5::Handle rows(H5Dopen2(file, "rows", H5P_DEFAULT), H5Dclose, "open rows in " + path);
  h5::Handle space(H5Dget_space(rows), H5Sclose, "row space");
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  std::vector<char> buf(n * layout.size);
  if (n) h5::check(H5Dread(rows, layout.type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "read rows of " + path);
  for (std::size_t i = 0; i < n; ++i) {
    ScenarioRecord r;
    if (layout.decode(buf.data() + i * layout.size, r))
      out.rows.push_back(std::move(r));
    else
      ++out.skipped;
  }
  return out;
}

}  // namespace evs::results
