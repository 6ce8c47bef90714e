#include "results/part_file.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "results/h5.hpp"

namespace evs::results {

namespace {

constexpr int kPartVersion = 2;
constexpr std::size_t kStage = 16, kSolver = 48, kMessage = 256;

// Byte layout of one row (packed) and its HDF5 compound type.
struct RowBytes {
  std::size_t id = 0, attempt = 0, status = 0, rank = 0, valid = 0, stage = 0, solver = 0, message = 0, metrics = 0,
              timings = 0, size = 0;
  std::size_t n_metrics = 0, n_timings = 0;
  std::vector<std::size_t> series, series_n;  // [kept series] byte offset, number of values
  h5::Handle type;

  explicit RowBytes(const RowLayout& l) : n_metrics(l.metrics.size()), n_timings(l.timings.size()) {
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
    for (std::size_t k = 0; k < l.series.size(); ++k) {
      series_n.push_back(l.series_size(k));
      series.push_back(place(8 * series_n.back()));
    }
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
    for (std::size_t k = 0; k < l.series.size(); ++k)
      insert_array(("series_" + l.series[k].dataset).c_str(), series[k], series_n[k]);
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
    if (r.series.size() != series.size()) throw std::logic_error("row has the wrong number of series");
    for (std::size_t k = 0; k < series.size(); ++k) copy_doubles(r.series[k], series_n[k], out + series[k]);
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
    r.series.clear();
    for (std::size_t k = 0; k < series.size(); ++k) r.series.push_back(doubles(in + series[k], series_n[k]));
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

void write_layout(hid_t obj, const RowLayout& l) {
  h5::attr(obj, "study_kind", l.study_kind);
  h5::attr(obj, "metric_names", l.metric_names());
  h5::attr(obj, "timing_names", l.timing_names());
  std::vector<std::string> names;
  std::vector<std::int64_t> sizes;
  for (std::size_t k = 0; k < l.series.size(); ++k) {
    names.push_back(l.series[k].dataset);
    sizes.push_back(static_cast<std::int64_t>(l.series_size(k)));
  }
  h5::attr(obj, "series_datasets", names);
  h5::attr(obj, "series_sizes", sizes);
}

// The layout as a part file records it: names, and each series as one flat dimension.
RowLayout read_layout(hid_t obj) {
  RowLayout l;
  l.study_kind = h5::attr_string(obj, "study_kind");
  for (const auto& n : h5::attr_strings(obj, "metric_names")) l.metrics.push_back({n, "", ""});
  for (const auto& n : h5::attr_strings(obj, "timing_names")) l.timings.push_back({n, "", ""});
  const auto names = h5::attr_strings(obj, "series_datasets");
  const auto sizes = h5::attr_ints(obj, "series_sizes");
  if (names.size() != sizes.size()) throw std::runtime_error("series_sizes does not match series_datasets");
  for (std::size_t k = 0; k < names.size(); ++k) {
    l.series.push_back({names[k], names[k], "", "", {"values_of_" + names[k]}});
    l.dimensions.push_back({"values_of_" + names[k], static_cast<std::size_t>(sizes[k]), "", {}, {}});
  }
  return l;
}

}  // namespace

struct PartWriter::Impl {
  RowBytes layout;
  h5::Handle file, rows;
  explicit Impl(const PartHeader& h) : layout(h.layout) {}
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
  write_layout(im.file, header.layout);
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
  out.header.config_hash = h5::attr_string(file, "config_hash");
  out.header.run_tag = h5::attr_string(file, "run_tag");
  out.header.rank = static_cast<int>(h5::attr_int(file, "rank"));
  out.header.layout = read_layout(file);
  RowBytes layout(out.header.layout);
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
