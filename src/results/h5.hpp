#pragma once
// Small RAII and helper layer over the HDF5 C API, private to src/results (the only
// place that includes hdf5.h). Every failure throws std::runtime_error naming the file
// and the object.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace evs::results::h5 {

class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what);
  ~Handle();
  Handle(Handle&& o) noexcept;
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t id() const { return id_; }
  operator hid_t() const { return id_; }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

void silence_errors();  // HDF5 prints its own error stack otherwise
void check(herr_t status, const std::string& what);

Handle create_file(const std::string& path);
Handle open_file(const std::string& path, bool write = false);
Handle create_group(hid_t parent, const std::string& name);
Handle open_group(hid_t parent, const std::string& name);
bool exists(hid_t parent, const std::string& name);

// Attributes
void attr(hid_t obj, const std::string& name, const std::string& value);
void attr(hid_t obj, const std::string& name, std::int64_t value);
void attr(hid_t obj, const std::string& name, double value);
void attr(hid_t obj, const std::string& name, const std::vector<std::string>& values);
void attr(hid_t obj, const std::string& name, const std::vector<std::int64_t>& values);
std::string attr_string(hid_t obj, const std::string& name);
std::vector<std::int64_t> attr_ints(hid_t obj, const std::string& name);
std::int64_t attr_int(hid_t obj, const std::string& name);
std::vector<std::string> attr_strings(hid_t obj, const std::string& name);

// Datasets (dims: the shape; data in row-major order)
void write(hid_t parent, const std::string& name, const std::vector<double>& data, const std::vector<hsize_t>& dims);
void write(hid_t parent, const std::string& name, const std::vector<std::int64_t>& data);
void write(hid_t parent, const std::string& name, const std::vector<std::uint64_t>& data);
void write(hid_t parent, const std::string& name, const std::vector<std::string>& data);
void write_text(hid_t parent, const std::string& name, const std::string& text);  // scalar string

std::vector<double> read_doubles(hid_t parent, const std::string& name, std::vector<hsize_t>* dims = nullptr);
std::vector<std::int64_t> read_ints(hid_t parent, const std::string& name);
std::vector<std::uint64_t> read_uints(hid_t parent, const std::string& name);
std::vector<std::string> read_strings(hid_t parent, const std::string& name);
std::string read_text(hid_t parent, const std::string& name);

// A fixed-length, null-terminated string type of n bytes (n >= 1).
Handle string_type(std::size_t n);

}  // namespace evs::results::h5
