// libFuzzer target for the results-file reader (issue 20): a results file
// damaged in any way must be read or refused with one ResultsError, by
// `codev info` (describe_results), by the readers of sweeps and shards
// (read_outline, read_results) and, when it is read, by the tables that
// `codev run` prints from it (format_run_table).
//
// The fuzzer does not flip bytes in the file: that would test libhdf5's own
// parser, which codev cannot fix and which is fuzzed upstream. It damages
// the file as a program or a person would, through HDF5: the input is a list
// of edits (delete, reshape, retype or rename a variable, overwrite its
// values, delete or rewrite an attribute), applied to a copy of a real
// results file written by the codev of this commit. scripts/ci-extra.sh
// writes those base files (a run and a sweep of the scenarios in
// tests/fuzz/results-base/) and names their folder in CODEV_FUZZ_RESULTS;
// the first byte of an input picks one. The edits use the HDF5 C API directly, not model/hdf5_file:
// that wrapper is made to write valid files only.
//
// Built by tests/fuzz/CMakeLists.txt (preset `fuzz`), run by scripts/ci-extra.sh.
#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "codev/results/results_file.hpp"
#include "codev/results/summary.hpp"
#include "codev/scenario/scenario.hpp"

namespace {

// The input, read front to back; past its end every byte is 0.
class Bytes {
  public:
    Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    bool done() const { return at_ >= size_; }
    std::uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
    std::uint64_t word(int bytes) {
        std::uint64_t value = 0;
        for (int i = 0; i < bytes; ++i) value = value << 8 | byte();
        return value;
    }

  private:
    const std::uint8_t* data_;
    std::size_t size_, at_ = 0;
};

// The base files, found once: CODEV_FUZZ_RESULTS/*.h5 in name order.
std::vector<std::string> base_files() {
    const char* folder = std::getenv("CODEV_FUZZ_RESULTS");
    if (folder == nullptr) {
        std::fprintf(stderr, "results_file_fuzzer: set CODEV_FUZZ_RESULTS to a folder of results files\n");
        std::abort();
    }
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.path().extension() == ".h5") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "results_file_fuzzer: no .h5 file in %s\n", folder);
        std::abort();
    }
    return files;
}

std::vector<std::string> dataset_names(hid_t file) {
    std::vector<std::string> names;
    H5Literate(
        file, H5_INDEX_NAME, H5_ITER_INC, nullptr,
        [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
            static_cast<std::vector<std::string>*>(out)->push_back(name);
            return 0;
        },
        &names);
    return names;
}

std::vector<std::string> attribute_names(hid_t object) {
    std::vector<std::string> names;
    H5Aiterate2(
        object, H5_INDEX_NAME, H5_ITER_INC, nullptr,
        [](hid_t, const char* name, const H5A_info_t*, void* out) -> herr_t {
            static_cast<std::vector<std::string>*>(out)->push_back(name);
            return 0;
        },
        &names);
    return names;
}

// One of the types a results file holds, or a variable-length string.
hid_t chosen_type(std::uint8_t pick) {
    switch (pick % 6) {
        case 0:
            return H5Tcopy(H5T_NATIVE_INT32);
        case 1:
            return H5Tcopy(H5T_NATIVE_INT64);
        case 2:
            return H5Tcopy(H5T_NATIVE_UINT64);
        case 3:
            return H5Tcopy(H5T_NATIVE_DOUBLE);
        case 4:
            return H5Tcopy(H5T_NATIVE_INT8);
        default: {
            const hid_t type = H5Tcopy(H5T_C_S1);
            H5Tset_size(type, H5T_VARIABLE);
            H5Tset_cset(type, H5T_CSET_UTF8);
            return type;
        }
    }
}

// A value worth trying: 0, ±1, the ends of int32 and int64, or any 8 bytes.
std::int64_t chosen_integer(Bytes& in) {
    static const std::int64_t edges[] = {0, 1, -1, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, 1'000'000'000};
    const std::uint8_t pick = in.byte();
    if (pick < 8 * 24) return edges[pick % 8];
    return std::int64_t(in.word(8));
}

double chosen_double(Bytes& in) {
    const std::uint64_t bits = in.word(8);
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

// Replaces `name` by a dataset of a chosen type and shape (up to 5 axes of
// up to 2^20, chunked so that a large shape costs nothing on disk), filled
// with one chosen value where the type is numeric.
void replace_dataset(hid_t file, const std::string& name, Bytes& in) {
    H5Ldelete(file, name.c_str(), H5P_DEFAULT);
    const int rank = in.byte() % 6;
    std::vector<hsize_t> shape(rank), chunk(rank);
    for (int axis = 0; axis < rank; ++axis) {
        const std::uint8_t size = in.byte();
        shape[axis] = size < 200 ? size % 8 : hsize_t(1) << (size % 21);
        chunk[axis] = std::max<hsize_t>(1, std::min<hsize_t>(shape[axis], 4));
    }
    const hid_t type = chosen_type(in.byte());
    const hid_t space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, shape.data(), nullptr);
    const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
    if (rank > 0) H5Pset_chunk(properties, rank, chunk.data());
    if (H5Tget_class(type) != H5T_STRING) {
        const std::int64_t fill = chosen_integer(in);
        H5Pset_fill_value(properties, H5T_NATIVE_INT64, &fill);
    }
    const hid_t dataset = H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, properties, H5P_DEFAULT);
    if (dataset >= 0) H5Dclose(dataset);
    H5Pclose(properties);
    H5Sclose(space);
    H5Tclose(type);
}

// Overwrites some elements of a numeric dataset with chosen values.
void overwrite_values(hid_t file, const std::string& name, Bytes& in) {
    const hid_t dataset = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
    if (dataset < 0) return;
    const hid_t stored = H5Dget_type(dataset);
    const hid_t space = H5Dget_space(dataset);
    const hssize_t count = H5Sget_simple_extent_npoints(space);
    if (H5Tget_class(stored) != H5T_STRING && count > 0 && count < (hssize_t(1) << 22)) {
        const bool real = H5Tget_class(stored) == H5T_FLOAT;
        std::vector<std::int64_t> integers(real ? 0 : std::size_t(count));
        std::vector<double> doubles(real ? std::size_t(count) : 0);
        const hid_t memory = real ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64;
        void* values = real ? static_cast<void*>(doubles.data()) : static_cast<void*>(integers.data());
        if (H5Dread(dataset, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0) {
            const int edits = 1 + in.byte() % 4;
            for (int e = 0; e < edits; ++e) {
                const std::size_t at = std::size_t(in.word(3) % std::uint64_t(count));
                if (real)
                    doubles[at] = chosen_double(in);
                else
                    integers[at] = chosen_integer(in);
            }
            H5Dwrite(dataset, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
        }
    }
    H5Sclose(space);
    H5Tclose(stored);
    H5Dclose(dataset);
}

// Deletes an attribute of the file or of a dataset, or writes one (a new
// one or an existing name) as a chosen number or text.
void edit_attribute(hid_t object, Bytes& in) {
    const std::vector<std::string> names = attribute_names(object);
    const std::uint8_t what = in.byte();
    const std::string name = names.empty() || what % 8 == 7 ? "fuzz" : names[in.byte() % names.size()];
    H5Adelete(object, name.c_str());
    if (what % 4 == 0) return;
    const hid_t space = H5Screate(H5S_SCALAR);
    hid_t type, memory;  // in the file; of `value` (HDF5 converts one to the other)
    std::string text;
    std::int64_t integer = 0;
    double real = 0;
    const void* value;
    if (what % 4 == 1) {
        type = H5Tcopy(what & 16 ? H5T_NATIVE_INT32 : H5T_NATIVE_INT64);
        memory = H5T_NATIVE_INT64;
        integer = chosen_integer(in);
        value = &integer;
    } else if (what % 4 == 2) {
        type = H5Tcopy(H5T_NATIVE_DOUBLE);
        memory = H5T_NATIVE_DOUBLE;
        real = chosen_double(in);
        value = &real;
    } else {
        const int length = in.byte() % 48;
        for (int i = 0; i < length; ++i) text.push_back(char(in.byte()));
        text.resize(std::max<std::size_t>(1, text.size()), '\0');
        type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, text.size());
        memory = type;
        value = text.data();
    }
    const hid_t attribute = H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (attribute >= 0) {
        H5Awrite(attribute, memory, value);
        H5Aclose(attribute);
    }
    H5Tclose(type);
    H5Sclose(space);
}

// Applies the edits the input describes to the file at `path`.
void damage(const std::string& path, Bytes& in) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    if (file < 0) {  // the copy of a base file: the set-up is broken
        H5Eprint2(H5E_DEFAULT, stderr);
        std::abort();
    }
    for (int edit = 0; edit < 8 && !in.done(); ++edit) {
        const std::vector<std::string> names = dataset_names(file);
        if (names.empty()) break;
        const std::uint8_t kind = in.byte();
        const std::string& name = names[in.word(2) % names.size()];
        switch (kind % 6) {
            case 0:
                H5Ldelete(file, name.c_str(), H5P_DEFAULT);
                break;
            case 1:
                replace_dataset(file, name, in);
                break;
            case 2:
                overwrite_values(file, name, in);
                break;
            case 3:
                edit_attribute(file, in);
                break;
            case 4: {
                const hid_t dataset = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
                if (dataset >= 0) {
                    edit_attribute(dataset, in);
                    H5Dclose(dataset);
                }
                break;
            }
            default: {  // one variable under another's name
                const std::string& other = names[in.word(2) % names.size()];
                if (other == name) break;
                H5Ldelete(file, other.c_str(), H5P_DEFAULT);
                H5Lmove(file, name.c_str(), file, other.c_str(), H5P_DEFAULT, H5P_DEFAULT);
            }
        }
    }
    H5Fclose(file);
}

// One file per process, rewritten for each input, removed at exit.
struct WorkFile {
    std::string path = "/tmp/codev-results-fuzz-" + std::to_string(getpid()) + ".h5";
    ~WorkFile() { unlink(path.c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<std::string> bases = base_files();
    static const WorkFile work;
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    Bytes in(data, size);
    std::filesystem::copy_file(bases[in.byte() % bases.size()], work.path,
                               std::filesystem::copy_options::overwrite_existing);
    damage(work.path, in);
    // Each reader, read or refused, must leave nothing open: a leaked HDF5
    // identifier keeps the file open after the error.
    const auto expect_closed = [](const char* after) {
        if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0) return;
        std::fprintf(stderr, "results_file_fuzzer: %ld HDF5 objects left open after %s\n",
                     long(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL)), after);
        std::abort();
    };
    try {
        codev::describe_results(work.path);
        expect_closed("describe_results");
        codev::read_outline(work.path);
        expect_closed("read_outline");
        const codev::EnsembleResults results = codev::read_results(work.path);
        expect_closed("read_results");
        codev::format_run_table(results, codev::find_baseline(results, ""), true);
    } catch (const codev::ResultsError&) {
        // expected: a refused file
    } catch (const codev::ScenarioError&) {
        // expected: a readable file whose scenarios cannot be compared (two baselines...)
    }
    expect_closed("a refusal");
    return 0;
}
