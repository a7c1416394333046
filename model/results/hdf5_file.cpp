// RAII wrapper over the HDF5 C API. HDF5 reports failures through negative
// return values and an error stack; here each becomes a ResultsError whose
// message carries the outermost and innermost entries of that stack, which
// together say what failed and why ("unable to open file: file signature not
// found").
#include "hdf5_file.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <numeric>
#include <string_view>

namespace codev::hdf5 {

namespace {

constexpr unsigned CREATION_ORDER = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;

struct ErrorText {
    std::string outer, inner;
    int system_error = 0;  // errno of a failed read or write, when HDF5 names one
};

// The file drivers put the errno of a failed system call into the entry's
// text ("file write failed: time = ..., errno = 27, ...") among a timestamp,
// a buffer address and a line break; the errno is the part a user can act on.
int errno_in(std::string_view desc) {
    const auto at = desc.find("errno = ");
    if (at == std::string_view::npos) return 0;
    int value = 0;
    for (std::size_t i = at + 8; i < desc.size() && desc[i] >= '0' && desc[i] <= '9'; ++i)
        value = value * 10 + (desc[i] - '0');
    return value;
}

herr_t collect_error(unsigned n, const H5E_error2_t* error, void* data) {
    auto* text = static_cast<ErrorText*>(data);
    if (error->desc != nullptr && error->desc[0] != '\0') {
        if (n == 0) text->outer = error->desc;
        text->inner = error->desc;
        if (text->system_error == 0) text->system_error = errno_in(error->desc);
    }
    return 0;
}

// One line, whatever HDF5 wrote (messages are one line: docs/architecture.md 4.6).
std::string hdf5_reason() {
    ErrorText text;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &text);
    H5Eclear2(H5E_DEFAULT);
    if (text.system_error != 0) return std::strerror(text.system_error);  // "No space left on device"
    std::string reason = text.outer.empty()         ? "unknown HDF5 error"
                         : text.outer == text.inner ? text.outer
                                                    : text.outer + ": " + text.inner;
    std::replace_if(
        reason.begin(), reason.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    return reason;
}

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw ResultsError(where + ": cannot " + what + " (" + hdf5_reason() + ")");
}

template <class R>
R check(R result, const std::string& where, const char* what) {
    if (result < 0) fail(where, what);
    return result;
}

// The library is built thread-safe, which makes the error-printing switch
// per thread: every entry point (create, open, probe) turns it off again.
//
// Every entry point is also the first HDF5 call a process can make here, so
// it can keep HDF5 from installing its exit handler: HDF5 1.10 frees a file
// whose close failed (a write error: disk full, `ulimit -f`) yet keeps its
// id, and that handler then closes the id again and crashes (HDFFV-11052,
// fixed in HDF5 1.14.1). Files here are closed by RAII, so the handler has
// nothing to do. Calls after the first are no-ops.
void silence_hdf5() {
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

// File locking fails on some network file systems; ignore the failure where
// locks are unsupported rather than refuse to write (docs/results-format.md, netCDF-4 rule 11).
Id file_access(const std::string& where) {
    Id fapl(check(H5Pcreate(H5P_FILE_ACCESS), where, "create file access properties"), H5Pclose);
#if H5_VERSION_GE(1, 10, 7)
    check(H5Pset_file_locking(fapl.get(), true, true), where, "set file locking");
#endif
    return fapl;
}

Id variable_string_type(const std::string& where) {
    Id type(check(H5Tcopy(H5T_C_S1), where, "copy string type"), H5Tclose);
    check(H5Tset_size(type.get(), H5T_VARIABLE), where, "make string type variable-length");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), where, "set string character set");
    return type;
}

bool is_ascii(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 128; });
}

hsize_t product(const std::vector<hsize_t>& dims, std::size_t from) {
    return std::accumulate(dims.begin() + std::ptrdiff_t(from), dims.end(), hsize_t{1}, std::multiplies<>());
}

}  // namespace

// ---- Id ---------------------------------------------------------------------

Id& Id::operator=(Id&& other) noexcept {
    if (this != &other) {
        reset();
        id_ = other.id_;
        close_ = other.close_;
        other.id_ = H5I_INVALID_HID;
    }
    return *this;
}

void Id::reset() {
    if (id_ >= 0 && close_ != nullptr) close_(id_);
    id_ = H5I_INVALID_HID;
}

// ---- Object: attributes -----------------------------------------------------

// Text attributes are written as netCDF-C writes NC_CHAR attributes: a
// fixed-length string as long as the text; the empty string gets a NULL
// dataspace since HDF5 has no zero-length string type (h5netcdf#94).
void Object::set_attribute(const std::string& name, const std::string& text) {
    Id type(check(H5Tcopy(H5T_C_S1), where_, "copy string type"), H5Tclose);
    check(H5Tset_size(type.get(), std::max<std::size_t>(text.size(), 1)), where_, "size string type");
    check(H5Tset_strpad(type.get(), H5T_STR_NULLTERM), where_, "set string padding");
    check(H5Tset_cset(type.get(), is_ascii(text) ? H5T_CSET_ASCII : H5T_CSET_UTF8), where_, "set character set");
    Id space(check(H5Screate(text.empty() ? H5S_NULL : H5S_SCALAR), where_, "create dataspace"), H5Sclose);
    const std::string what = "write attribute '" + name + "'";
    Id attr(
        check(H5Acreate2(id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), where_, what.c_str()),
        H5Aclose);
    if (!text.empty()) check(H5Awrite(attr.get(), type.get(), text.data()), where_, what.c_str());
}

void Object::write_attribute(const std::string& name, hid_t type, const void* value) {
    const std::string what = "write attribute '" + name + "'";
    Id space(check(H5Screate(H5S_SCALAR), where_, "create dataspace"), H5Sclose);
    Id attr(check(H5Acreate2(id(), name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT), where_, what.c_str()),
            H5Aclose);
    check(H5Awrite(attr.get(), type, value), where_, what.c_str());
}

bool Object::has_attribute(const std::string& name) const {
    return check(H5Aexists(id(), name.c_str()), where_, "look up attribute") > 0;
}

std::string Object::string_attribute(const std::string& name) const {
    const std::string what = "read attribute '" + name + "'";
    Id attr(check(H5Aopen(id(), name.c_str(), H5P_DEFAULT), where_, what.c_str()), H5Aclose);
    Id type(check(H5Aget_type(attr.get()), where_, what.c_str()), H5Tclose);
    Id space(check(H5Aget_space(attr.get()), where_, what.c_str()), H5Sclose);
    if (H5Tget_class(type.get()) != H5T_STRING) throw ResultsError(where_ + ": attribute '" + name + "' is not text");
    if (H5Sget_simple_extent_type(space.get()) == H5S_NULL) return "";
    if (H5Sget_simple_extent_npoints(space.get()) != 1)
        throw ResultsError(where_ + ": attribute '" + name + "' is not a single text");
    if (check(H5Tis_variable_str(type.get()), where_, what.c_str()) > 0) {
        // Written by another tool (h5py writes str attributes this way).
        Id memory = variable_string_type(where_);
        char* text = nullptr;
        check(H5Aread(attr.get(), memory.get(), &text), where_, what.c_str());
        std::string result = text != nullptr ? text : "";
        H5free_memory(text);
        return result;
    }
    std::string buffer(H5Tget_size(type.get()), '\0');
    check(H5Aread(attr.get(), type.get(), buffer.data()), where_, what.c_str());
    buffer.resize(strnlen(buffer.data(), buffer.size()));
    return buffer;
}

void Object::read_attribute(const std::string& name, hid_t type, void* value) const {
    const std::string what = "read attribute '" + name + "'";
    Id attr(check(H5Aopen(id(), name.c_str(), H5P_DEFAULT), where_, what.c_str()), H5Aclose);
    Id space(check(H5Aget_space(attr.get()), where_, what.c_str()), H5Sclose);
    if (H5Sget_simple_extent_npoints(space.get()) != 1)
        throw ResultsError(where_ + ": attribute '" + name + "' is not a single number");
    check(H5Aread(attr.get(), type, value), where_, what.c_str());
}

// ---- Dataset ----------------------------------------------------------------

namespace {
// The object's path without the leading '/', or "" if HDF5 cannot tell. Does
// not throw: it also runs inside HDF5 callbacks.
std::string object_name(hid_t object) {
    const ssize_t size = H5Iget_name(object, nullptr, 0);
    if (size <= 0) return "";
    std::string buffer(std::size_t(size) + 1, '\0');
    H5Iget_name(object, buffer.data(), buffer.size());
    buffer.resize(std::size_t(size));
    return buffer.starts_with('/') ? buffer.substr(1) : buffer;
}
}  // namespace

std::string Dataset::name() const { return object_name(id()); }

std::vector<hsize_t> Dataset::shape() const {
    Id space(check(H5Dget_space(id()), where_, "get dataspace"), H5Sclose);
    const int rank = check(H5Sget_simple_extent_ndims(space.get()), where_, "get rank");
    std::vector<hsize_t> dims(std::size_t(rank), 0);
    check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), where_, "get shape");
    return dims;
}

std::string Dataset::type_name() const {
    Id type(check(H5Dget_type(id()), where_, "get type"), H5Tclose);
    const std::string bits = std::to_string(8 * H5Tget_size(type.get()));
    switch (H5Tget_class(type.get())) {
        case H5T_INTEGER:
            return (H5Tget_sign(type.get()) == H5T_SGN_NONE ? "uint" : "int") + bits;
        case H5T_FLOAT:
            return "float" + bits;
        case H5T_STRING:
            return "string";
        default:
            return "other";
    }
}

void Dataset::make_dimension_scale(const std::string& dimension) {
    check(H5DSset_scale(id(), dimension.c_str()), where_, "make dimension scale");
}

void Dataset::attach_scale(const Dataset& scale, unsigned axis) {
    check(H5DSattach_scale(id(), scale.id(), axis), where_, "attach dimension scale");
}

namespace {
// The dimension-scale attributes are read here rather than by HDF5's
// dimension-scale library (H5DSis_scale, H5DSiterate_scales), which reads
// DIMENSION_LIST into a buffer of the type it expects whatever the
// attribute's type, and leaves identifiers open on some damaged files:
// tests/fuzz/results_file_fuzzer.cpp found both. Every identifier here is
// owned, so a refusal closes everything.

// Frees the variable-length lists H5Aread allocated, however the reading ends.
struct VlenLists {
    std::vector<hvl_t> lists;
    hid_t type, space;
    ~VlenLists() { H5Dvlen_reclaim(type, space, H5P_DEFAULT, lists.data()); }
};

// One variable-length list of object references per axis (what
// H5DSattach_scale writes), or a ResultsError.
std::vector<std::string> attached_scale_names(hid_t dataset, std::size_t rank, const std::string& where) {
    std::vector<std::string> names(rank);
    if (check(H5Aexists(dataset, "DIMENSION_LIST"), where, "check attribute") <= 0) return names;
    const Id attribute(check(H5Aopen(dataset, "DIMENSION_LIST", H5P_DEFAULT), where, "open attribute"), H5Aclose);
    const Id type(check(H5Aget_type(attribute.get()), where, "get attribute type"), H5Tclose);
    const Id space(check(H5Aget_space(attribute.get()), where, "get attribute dataspace"), H5Sclose);
    bool ok = H5Tget_class(type.get()) == H5T_VLEN && H5Sget_simple_extent_ndims(space.get()) == 1 &&
              H5Sget_simple_extent_npoints(space.get()) == hssize_t(rank);
    if (ok) {
        const Id base(check(H5Tget_super(type.get()), where, "get attribute type"), H5Tclose);
        ok = H5Tequal(base.get(), H5T_STD_REF_OBJ) > 0;
    }
    if (!ok) throw ResultsError(where + ": its DIMENSION_LIST attribute is damaged");
    const Id memory(check(H5Tvlen_create(H5T_STD_REF_OBJ), where, "create type"), H5Tclose);
    VlenLists read{std::vector<hvl_t>(rank), memory.get(), space.get()};
    check(H5Aread(attribute.get(), memory.get(), read.lists.data()), where, "read DIMENSION_LIST");
    for (std::size_t axis = 0; axis < rank; ++axis) {
        if (read.lists[axis].len == 0) continue;  // no scale attached to this axis
        auto* references = static_cast<hobj_ref_t*>(read.lists[axis].p);
        const Id scale(
            check(H5Rdereference2(dataset, H5P_DEFAULT, H5R_OBJECT, &references[0]), where, "follow a dimension scale"),
            H5Oclose);
        names[axis] = object_name(scale.get());  // the first scale names the dimension
    }
    return names;
}

// A coordinate variable: CLASS is "DIMENSION_SCALE" (what H5DSset_scale writes).
bool is_dimension_scale(const Object& dataset, const std::string& where) {
    if (!dataset.has_attribute("CLASS")) return false;
    if (dataset.string_attribute("CLASS") != "DIMENSION_SCALE")
        throw ResultsError(where + ": its CLASS attribute is damaged");
    return true;
}
}  // namespace

// A dimension is named by the dataset attached to it as a scale; a coordinate
// variable is its own scale (docs/results-format.md, netCDF-4 rule 2).
std::vector<std::string> Dataset::dimension_names() const {
    const std::size_t rank = shape().size();
    if (rank == 1 && is_dimension_scale(*this, where_)) return {name()};
    return attached_scale_names(id(), rank, where_);
}

std::size_t Dataset::element_count(std::optional<hsize_t> index0) const {
    const std::vector<hsize_t> dims = shape();
    if (!index0) return product(dims, 0);
    if (dims.empty() || *index0 >= dims[0])
        throw ResultsError(where_ + ": block " + std::to_string(*index0) + " is out of range");
    return product(dims, 1);
}

namespace {
// Memory and file dataspaces for the whole dataset or for one block along axis 0.
struct Selection {
    Id memory{H5S_ALL, nullptr};
    Id file{H5S_ALL, nullptr};
};

Selection select_block(hid_t dataset, std::optional<hsize_t> index0, const std::vector<hsize_t>& dims,
                       const std::string& where) {
    Selection selection;
    if (!index0) return selection;
    std::vector<hsize_t> start(dims.size(), 0), count = dims;
    start[0] = *index0;
    count[0] = 1;
    selection.file = Id(check(H5Dget_space(dataset), where, "get dataspace"), H5Sclose);
    check(H5Sselect_hyperslab(selection.file.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
          where, "select block");
    selection.memory =
        Id(check(H5Screate_simple(int(count.size()), count.data(), nullptr), where, "create dataspace"), H5Sclose);
    return selection;
}
}  // namespace

void Dataset::write_raw(hid_t type, const void* data, std::size_t count, std::optional<hsize_t> index0) {
    const std::size_t expected = element_count(index0);
    if (count != expected)
        throw ResultsError(where_ + ": " + std::to_string(count) + " values given for " + std::to_string(expected) +
                           " elements");
    if (count == 0) return;
    const Selection s = select_block(id(), index0, shape(), where_);
    check(H5Dwrite(id(), type, s.memory.get(), s.file.get(), H5P_DEFAULT, data), where_, "write data");
}

void Dataset::read_raw(hid_t type, void* data, std::optional<hsize_t> index0) const {
    if (element_count(index0) == 0) return;
    const Selection s = select_block(id(), index0, shape(), where_);
    check(H5Dread(id(), type, s.memory.get(), s.file.get(), H5P_DEFAULT, data), where_, "read data");
}

void Dataset::write_strings(const std::vector<std::string>& values) { write_string_values(values, std::nullopt); }

void Dataset::write_strings_block(hsize_t index0, const std::vector<std::string>& values) {
    write_string_values(values, index0);
}

void Dataset::write_string_values(const std::vector<std::string>& values, std::optional<hsize_t> index0) {
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const std::string& value : values) pointers.push_back(value.c_str());
    Id memory = variable_string_type(where_);
    write_raw(memory.get(), pointers.data(), pointers.size(), index0);
}

std::vector<std::string> Dataset::read_strings() const {
    std::vector<char*> pointers(element_count(std::nullopt), nullptr);
    if (pointers.empty()) return {};
    Id memory = variable_string_type(where_);
    Id space(check(H5Dget_space(id()), where_, "get dataspace"), H5Sclose);
    check(H5Dread(id(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), where_, "read strings");
    std::vector<std::string> values;
    values.reserve(pointers.size());
    for (const char* p : pointers) values.emplace_back(p != nullptr ? p : "");
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(memory.get(), space.get(), H5P_DEFAULT, pointers.data());
#else
    H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, pointers.data());
#endif
    return values;
}

// ---- File -------------------------------------------------------------------

namespace {

Id file_creation(const std::string& where) {
    Id fcpl(check(H5Pcreate(H5P_FILE_CREATE), where, "create file properties"), H5Pclose);
    check(H5Pset_link_creation_order(fcpl.get(), CREATION_ORDER), where, "track link creation order");
    check(H5Pset_attr_creation_order(fcpl.get(), CREATION_ORDER), where, "track attribute creation order");
    return fcpl;
}

}  // namespace

File File::create(const std::string& path) {
    silence_hdf5();
    Id fcpl = file_creation(path);
    Id fapl = file_access(path);
    Id file(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), path, "create file"), H5Fclose);
    return File(std::move(file), path);
}

File File::create_in_memory(const std::string& name) {
    silence_hdf5();
    Id fcpl = file_creation(name);
    Id fapl(check(H5Pcreate(H5P_FILE_ACCESS), name, "create file access properties"), H5Pclose);
    constexpr std::size_t GROWTH = std::size_t{1} << 20;  // bytes the image grows by
    check(H5Pset_fapl_core(fapl.get(), GROWTH, false), name, "hold the file in memory");
    Id file(check(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), name, "create file"), H5Fclose);
    return File(std::move(file), name);
}

std::string File::image() {
    check(H5Fflush(id(), H5F_SCOPE_GLOBAL), where_, "flush file");
    const ssize_t size = H5Fget_file_image(id(), nullptr, 0);
    check(size, where_, "measure file image");
    std::string bytes(std::size_t(size), '\0');
    check(H5Fget_file_image(id(), bytes.data(), bytes.size()), where_, "copy file image");
    return bytes;
}

File File::open_read_only(const std::string& path) {
    silence_hdf5();
    Id fapl = file_access(path);
    Id file(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()), path, "open file"), H5Fclose);
    return File(std::move(file), path);
}

bool File::is_hdf5(const std::string& path) {
    silence_hdf5();
#if H5_VERSION_GE(1, 12, 0)
    return check(H5Fis_accessible(path.c_str(), H5P_DEFAULT), path, "read file") > 0;
#else
    return check(H5Fis_hdf5(path.c_str()), path, "read file") > 0;
#endif
}

Dataset File::create_raw(const std::string& name, hid_t type, const std::vector<hsize_t>& shape, const Layout& layout,
                         const void* fill) {
    const std::string where = where_ + ":/" + name;
    Id space(check(H5Screate_simple(int(shape.size()), shape.data(), nullptr), where, "create dataspace"), H5Sclose);
    Id dcpl(check(H5Pcreate(H5P_DATASET_CREATE), where, "create dataset properties"), H5Pclose);
    check(H5Pset_attr_creation_order(dcpl.get(), CREATION_ORDER), where, "track attribute creation order");
    // No modification times: the same results give the same bytes.
    check(H5Pset_obj_track_times(dcpl.get(), false), where, "turn off time tracking");
    if (!layout.chunk.empty()) {
        check(H5Pset_chunk(dcpl.get(), int(layout.chunk.size()), layout.chunk.data()), where, "set chunks");
        if (layout.deflate_level > 0) {
            check(H5Pset_shuffle(dcpl.get()), where, "set shuffle filter");
            check(H5Pset_deflate(dcpl.get(), layout.deflate_level), where, "set deflate filter");
        }
    }
    if (fill != nullptr) check(H5Pset_fill_value(dcpl.get(), type, fill), where, "set fill value");
    Id dataset(check(H5Dcreate2(id(), name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), where,
                     "create dataset"),
               H5Dclose);
    return Dataset(std::move(dataset), where);
}

Dataset File::create_string_dataset(const std::string& name, const std::vector<hsize_t>& shape) {
    Id type = variable_string_type(where_);
    return create_raw(name, type.get(), shape, Layout{}, nullptr);
}

Dataset File::open_dataset(const std::string& name) const {
    const std::string where = where_ + ":/" + name;
    Id dataset(check(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), where, "open dataset"), H5Dclose);
    return Dataset(std::move(dataset), where);
}

bool File::has_dataset(const std::string& name) const {
    return check(H5Lexists(id(), name.c_str(), H5P_DEFAULT), where_, "look up dataset") > 0;
}

namespace {
herr_t collect_dataset(hid_t group, const char* name, const H5L_info_t*, void* data) {
    Id object(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
    if (object.get() >= 0 && H5Iget_type(object.get()) == H5I_DATASET)
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
}
}  // namespace

// Creation order is the order the writer chose; files from other tools may
// not index it, and then fall back to name order.
std::vector<std::string> File::dataset_names() const {
    std::vector<std::string> names;
    if (H5Literate(id(), H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect_dataset, &names) >= 0) return names;
    H5Eclear2(H5E_DEFAULT);
    names.clear();
    check(H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_dataset, &names), where_, "list datasets");
    return names;
}

void File::close() {
    const hid_t file = id_.release();
    if (file >= 0) check(H5Fclose(file), where_, "close file");
}

}  // namespace codev::hdf5
