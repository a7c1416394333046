// The one thin RAII wrapper over the HDF5 1.10 C API (docs/architecture.md 2.4): every H5*
// call in the project goes through here. Internal to model/: the public
// interface is include/codev/results_file.hpp.
//
// Every failure throws codev::ResultsError naming the file, the object and
// HDF5's own reason; HDF5's automatic error printing is turned off.
#pragma once

#include <hdf5.h>
#include <hdf5_hl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "codev/results/results_file.hpp"

namespace codev::hdf5 {

// Owns one HDF5 identifier and closes it with the matching H5*close.
class Id {
  public:
    using Closer = herr_t (*)(hid_t);
    Id() = default;
    Id(hid_t id, Closer close) : id_(id), close_(close) {}
    Id(Id&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = H5I_INVALID_HID; }
    Id& operator=(Id&& other) noexcept;
    Id(const Id&) = delete;
    Id& operator=(const Id&) = delete;
    ~Id() { reset(); }
    hid_t get() const { return id_; }
    // Gives up ownership without closing.
    hid_t release() {
        const hid_t id = id_;
        id_ = H5I_INVALID_HID;
        return id;
    }
    void reset();

  private:
    hid_t id_ = H5I_INVALID_HID;
    Closer close_ = nullptr;
};

// The in-memory HDF5 type of the C++ element types the results file uses
// (netCDF-4 atomic types only: docs/results-format.md, netCDF-4 rule 7).
template <class T>
hid_t native_type();
template <>
inline hid_t native_type<std::int32_t>() {
    return H5T_NATIVE_INT32;
}
template <>
inline hid_t native_type<std::int64_t>() {
    return H5T_NATIVE_INT64;
}
template <>
inline hid_t native_type<std::uint64_t>() {
    return H5T_NATIVE_UINT64;
}
template <>
inline hid_t native_type<double>() {
    return H5T_NATIVE_DOUBLE;
}
template <>
inline hid_t native_type<float>() {
    return H5T_NATIVE_FLOAT;
}
template <>
inline hid_t native_type<std::uint32_t>() {
    return H5T_NATIVE_UINT32;
}
template <>
inline hid_t native_type<std::uint8_t>() {
    return H5T_NATIVE_UINT8;
}
template <>
inline hid_t native_type<std::int8_t>() {
    return H5T_NATIVE_INT8;
}

// How a dataset is stored: contiguous (empty chunk) or chunked with
// shuffle + deflate when deflate_level > 0.
struct Layout {
    std::vector<hsize_t> chunk;
    unsigned deflate_level = 0;
};

// A file or a dataset: something that carries attributes.
class Object {
  public:
    // Text: scalar, fixed-length, NUL-padded, ASCII unless the text needs UTF-8
    // (docs/results-format.md, netCDF-4 rule 6). Numbers: scalar of the C++ type.
    void set_attribute(const std::string& name, const std::string& text);
    void set_attribute(const std::string& name, const char* text) { set_attribute(name, std::string(text)); }
    template <class T>
    void set_attribute(const std::string& name, T value) {
        write_attribute(name, native_type<T>(), &value);
    }
    bool has_attribute(const std::string& name) const;
    std::string string_attribute(const std::string& name) const;
    template <class T>
    T numeric_attribute(const std::string& name) const {
        T value{};
        read_attribute(name, native_type<T>(), &value);
        return value;
    }
    hid_t id() const { return id_.get(); }
    const std::string& where() const { return where_; }

  protected:
    Object(Id id, std::string where) : id_(std::move(id)), where_(std::move(where)) {}
    Id id_;
    std::string where_;  // "file.h5" or "file.h5:/variable", for messages

  private:
    void write_attribute(const std::string& name, hid_t type, const void* value);
    void read_attribute(const std::string& name, hid_t type, void* value) const;
};

class Dataset : public Object {
  public:
    Dataset(Id id, std::string where) : Object(std::move(id), std::move(where)) {}
    std::string name() const;  // without the leading '/'
    std::vector<hsize_t> shape() const;
    std::string type_name() const;  // "int32", "int64", "uint64", "float64", "string"
    // Dimension scales (docs/results-format.md, netCDF-4 rules 1-2).
    void make_dimension_scale(const std::string& dimension);
    void attach_scale(const Dataset& scale, unsigned axis);
    std::vector<std::string> dimension_names() const;

    // Whole dataset, or one index along axis 0 (a "block": all other axes).
    template <class T>
    void write(const std::vector<T>& values) {
        write_raw(native_type<T>(), values.data(), values.size(), std::nullopt);
    }
    template <class T>
    void write_block(hsize_t index0, const std::vector<T>& values) {
        write_raw(native_type<T>(), values.data(), values.size(), index0);
    }
    template <class T>
    std::vector<T> read() const {
        std::vector<T> values(element_count(std::nullopt));
        read_raw(native_type<T>(), values.data(), std::nullopt);
        return values;
    }
    template <class T>
    std::vector<T> read_block(hsize_t index0) const {
        std::vector<T> values(element_count(index0));
        read_raw(native_type<T>(), values.data(), index0);
        return values;
    }
    // Variable-length UTF-8 strings (netCDF-4 NC_STRING): the whole dataset,
    // or one index along axis 0.
    void write_strings(const std::vector<std::string>& values);
    void write_strings_block(hsize_t index0, const std::vector<std::string>& values);
    std::vector<std::string> read_strings() const;

  private:
    std::size_t element_count(std::optional<hsize_t> index0) const;
    void write_raw(hid_t type, const void* data, std::size_t count, std::optional<hsize_t> index0);
    void read_raw(hid_t type, void* data, std::optional<hsize_t> index0) const;
    void write_string_values(const std::vector<std::string>& values, std::optional<hsize_t> index0);
};

class File : public Object {
  public:
    // Creates (truncating) a file with link and attribute creation order
    // tracked and indexed (docs/results-format.md, netCDF-4 rule 4).
    static File create(const std::string& path);
    static File open_read_only(const std::string& path);
    // The same file as create() makes, held in memory only (HDF5's core
    // driver, no backing store); `name` appears in messages. image() gives its bytes.
    static File create_in_memory(const std::string& name);
    // True when `path` is an HDF5 file; false for any other existing file.
    static bool is_hdf5(const std::string& path);

    // A numeric dataset; `fill` becomes the HDF5 fill value and `_FillValue`.
    template <class T>
    Dataset create_dataset(const std::string& name, const std::vector<hsize_t>& shape, const Layout& layout,
                           std::optional<T> fill = std::nullopt) {
        Dataset d = create_raw(name, native_type<T>(), shape, layout, fill ? &*fill : nullptr);
        if (fill) d.set_attribute("_FillValue", *fill);
        return d;
    }
    Dataset create_string_dataset(const std::string& name, const std::vector<hsize_t>& shape);
    Dataset open_dataset(const std::string& name) const;
    bool has_dataset(const std::string& name) const;
    std::vector<std::string> dataset_names() const;  // in creation order
    // Closes now and reports failure (the destructor cannot throw).
    void close();
    // Flushes the file and gives its bytes, an HDF5 file as it would be on disk.
    std::string image();

  private:
    File(Id id, std::string path) : Object(std::move(id), std::move(path)) {}
    Dataset create_raw(const std::string& name, hid_t type, const std::vector<hsize_t>& shape, const Layout& layout,
                       const void* fill);
};

}  // namespace codev::hdf5
