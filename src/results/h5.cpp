#include "results/h5.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace evs::results::h5 {

namespace {

std::string object_name(hid_t obj) {
  char buf[512] = {0};
  char file[512] = {0};
  H5Iget_name(obj, buf, sizeof buf);
  H5Fget_name(obj, file, sizeof file);
  return std::string(file) + ":" + buf;
}

Handle dataset(hid_t parent, const std::string& name, hid_t type, const std::vector<hsize_t>& dims) {
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
               "dataspace for " + name);
  return Handle(H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
                "create dataset " + object_name(parent) + "/" + name);
}

Handle open_dataset(hid_t parent, const std::string& name) {
  return Handle(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose,
                "open dataset " + object_name(parent) + "/" + name);
}

hsize_t element_count(hid_t ds, std::vector<hsize_t>* dims) {
  Handle space(H5Dget_space(ds), H5Sclose, "dataspace");
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> d(std::max(rank, 0));
  if (rank > 0) H5Sget_simple_extent_dims(space, d.data(), nullptr);
  hsize_t n = 1;
  for (hsize_t x : d) n *= x;
  if (dims) *dims = d;
  return n;
}

Handle attribute(hid_t obj, const std::string& name, hid_t type, hid_t space) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  return Handle(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                "create attribute " + name + " on " + object_name(obj));
}

Handle scalar_space() { return Handle(H5Screate(H5S_SCALAR), H5Sclose, "scalar dataspace"); }

std::vector<std::string> unpack(const std::vector<char>& buf, std::size_t n, std::size_t width) {
  std::vector<std::string> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const char* p = buf.data() + i * width;
    out[i].assign(p, strnlen(p, width));
  }
  return out;
}

std::vector<char> pack(const std::vector<std::string>& values, std::size_t* width) {
  std::size_t w = 1;
  for (const auto& v : values) w = std::max(w, v.size() + 1);
  std::vector<char> buf(values.size() * w, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) std::memcpy(buf.data() + i * w, values[i].data(), values[i].size());
  *width = w;
  return buf;
}

}  // namespace

Handle::Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
  if (id < 0) throw std::runtime_error("HDF5: cannot " + what);
}
Handle::~Handle() {
  if (id_ >= 0 && close_) close_(id_);
}
Handle::Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    if (id_ >= 0 && close_) close_(id_);
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = -1;
  }
  return *this;
}

void silence_errors() { if (!std::getenv("EVSWEEP_HDF5_ERRORS")) H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

void check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: cannot " + what);
}

Handle create_file(const std::string& path) {
  silence_errors();
  return Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create " + path);
}

Handle open_file(const std::string& path, bool write) {
  silence_errors();
  // Readers take no lock: a part file may still be open in a running (or just killed)
  // writer, and the rows it flushed are what a reader wants.
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
  if (!write) check(H5Pset_file_locking(fapl, false, true), "disable file locking");
  return Handle(H5Fopen(path.c_str(), write ? H5F_ACC_RDWR : H5F_ACC_RDONLY, fapl), H5Fclose,
                "open " + path + " (not an HDF5 file, or damaged)");
}

Handle create_group(hid_t parent, const std::string& name) {
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                "create group " + name);
}

Handle open_group(hid_t parent, const std::string& name) {
  return Handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, "open group " + object_name(parent) + name);
}

bool exists(hid_t parent, const std::string& name) { return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0; }

void attr(hid_t obj, const std::string& name, const std::string& value) {
  Handle type = string_type(value.size() + 1);
  Handle space = scalar_space();
  Handle a = attribute(obj, name, type, space);
  std::vector<char> buf(value.begin(), value.end());
  buf.push_back('\0');
  check(H5Awrite(a, type, buf.data()), "write attribute " + name);
}

void attr(hid_t obj, const std::string& name, std::int64_t value) {
  Handle space = scalar_space();
  Handle a = attribute(obj, name, H5T_NATIVE_INT64, space);
  check(H5Awrite(a, H5T_NATIVE_INT64, &value), "write attribute " + name);
}

void attr(hid_t obj, const std::string& name, double value) {
  Handle space = scalar_space();
  Handle a = attribute(obj, name, H5T_NATIVE_DOUBLE, space);
  check(H5Awrite(a, H5T_NATIVE_DOUBLE, &value), "write attribute " + name);
}

void attr(hid_t obj, const std::string& name, const std::vector<std::string>& values) {
  std::size_t w = 0;
  std::vector<char> buf = pack(values, &w);
  Handle type = string_type(w);
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "dataspace");
  Handle a = attribute(obj, name, type, space);
  if (n) check(H5Awrite(a, type, buf.data()), "write attribute " + name);
}

std::string attr_string(hid_t obj, const std::string& name) {
  Handle a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name + " of " + object_name(obj));
  Handle ftype(H5Aget_type(a), H5Tclose, "attribute type");
  const std::size_t w = H5Tget_size(ftype);
  Handle type = string_type(w);
  std::vector<char> buf(w + 1, '\0');
  check(H5Aread(a, type, buf.data()), "read attribute " + name);
  return std::string(buf.data(), strnlen(buf.data(), w));
}

void attr(hid_t obj, const std::string& name, const std::vector<std::int64_t>& values) {
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "dataspace");
  Handle a = attribute(obj, name, H5T_STD_I64LE, space);
  if (n) check(H5Awrite(a, H5T_NATIVE_INT64, values.data()), "write attribute " + name);
}

std::vector<std::int64_t> attr_ints(hid_t obj, const std::string& name) {
  Handle a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name + " of " + object_name(obj));
  Handle space(H5Aget_space(a), H5Sclose, "attribute space");
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  std::vector<std::int64_t> v(n > 0 ? static_cast<std::size_t>(n) : 0);
  if (!v.empty()) check(H5Aread(a, H5T_NATIVE_INT64, v.data()), "read attribute " + name);
  return v;
}

std::int64_t attr_int(hid_t obj, const std::string& name) {
  Handle a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name + " of " + object_name(obj));
  std::int64_t v = 0;
  check(H5Aread(a, H5T_NATIVE_INT64, &v), "read attribute " + name);
  return v;
}

std::vector<std::string> attr_strings(hid_t obj, const std::string& name) {
  Handle a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name + " of " + object_name(obj));
  Handle ftype(H5Aget_type(a), H5Tclose, "attribute type");
  Handle space(H5Aget_space(a), H5Sclose, "attribute space");
  const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  const std::size_t w = H5Tget_size(ftype);
  Handle type = string_type(w);
  std::vector<char> buf(n * w, '\0');
  if (n) check(H5Aread(a, type, buf.data()), "read attribute " + name);
  return unpack(buf, n, w);
}

void write(hid_t parent, const std::string& name, const std::vector<double>& data, const std::vector<hsize_t>& dims) {
  Handle ds = dataset(parent, name, H5T_IEEE_F64LE, dims);
  if (!data.empty()) check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "write " + name);
}

void write(hid_t parent, const std::string& name, const std::vector<std::int64_t>& data) {
  Handle ds = dataset(parent, name, H5T_STD_I64LE, {data.size()});
  if (!data.empty()) check(H5Dwrite(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "write " + name);
}

void write(hid_t parent, const std::string& name, const std::vector<std::uint64_t>& data) {
  Handle ds = dataset(parent, name, H5T_STD_U64LE, {data.size()});
  if (!data.empty())
    check(H5Dwrite(ds, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "write " + name);
}

void write(hid_t parent, const std::string& name, const std::vector<std::string>& data) {
  std::size_t w = 0;
  std::vector<char> buf = pack(data, &w);
  Handle type = string_type(w);
  Handle ds = dataset(parent, name, type, {data.size()});
  if (!data.empty()) check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "write " + name);
}

void write_text(hid_t parent, const std::string& name, const std::string& text) {
  Handle type = string_type(text.size() + 1);
  Handle space = scalar_space();
  Handle ds(H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  std::vector<char> buf(text.begin(), text.end());
  buf.push_back('\0');
  check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "write " + name);
}

std::vector<double> read_doubles(hid_t parent, const std::string& name, std::vector<hsize_t>* dims) {
  Handle ds = open_dataset(parent, name);
  std::vector<double> out(element_count(ds, dims));
  if (!out.empty())
    check(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + name);
  return out;
}

std::vector<std::int64_t> read_ints(hid_t parent, const std::string& name) {
  Handle ds = open_dataset(parent, name);
  std::vector<std::int64_t> out(element_count(ds, nullptr));
  if (!out.empty()) check(H5Dread(ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + name);
  return out;
}

std::vector<std::uint64_t> read_uints(hid_t parent, const std::string& name) {
  Handle ds = open_dataset(parent, name);
  std::vector<std::uint64_t> out(element_count(ds, nullptr));
  if (!out.empty()) check(H5Dread(ds, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + name);
  return out;
}

std::vector<std::string> read_strings(hid_t parent, const std::string& name) {
  Handle ds = open_dataset(parent, name);
  Handle ftype(H5Dget_type(ds), H5Tclose, "type of " + name);
  const std::size_t w = H5Tget_size(ftype);
  const std::size_t n = element_count(ds, nullptr);
  Handle type = string_type(w);
  std::vector<char> buf(n * w, '\0');
  if (n) check(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "read " + name);
  return unpack(buf, n, w);
}

std::string read_text(hid_t parent, const std::string& name) {
  auto v = read_strings(parent, name);
  return v.empty() ? std::string() : v.front();
}

Handle string_type(std::size_t n) {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  check(H5Tset_size(t, std::max<std::size_t>(n, 1)), "set string size");
  check(H5Tset_strpad(t, H5T_STR_NULLTERM), "set string padding");
  check(H5Tset_cset(t, H5T_CSET_UTF8), "set string charset");
  return t;
}

}  // namespace evs::results::h5
