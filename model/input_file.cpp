// Reading user-named input files (input_file.hpp).
#include "codev/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace codev {

namespace {

// Closes the descriptor however the read ends.
struct Descriptor {
    int fd;
    ~Descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

bool read_input_file(const std::string& path, std::string& text, std::string& reason, std::size_t limit) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then
    // refuses it, and a regular file's reads ignore the flag.
    const Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
    if (file.fd < 0) {
        reason = std::strerror(errno);
        return false;
    }
    struct stat info {};
    if (::fstat(file.fd, &info) != 0) {
        reason = std::strerror(errno);
        return false;
    }
    if (S_ISDIR(info.st_mode)) {
        reason = "is a directory";
        return false;
    }
    if (!S_ISREG(info.st_mode)) {
        reason = "is not a regular file";
        return false;
    }
    const std::string too_large = "is larger than " + std::to_string(limit >> 20) + " MiB";
    if (std::size_t(info.st_size) > limit) {
        reason = too_large;
        return false;
    }
    text.clear();
    char buffer[65536];
    for (;;) {  // up to `limit`, whatever the size said: the file may grow meanwhile
        const ssize_t got = ::read(file.fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            reason = std::strerror(errno);
            return false;
        }
        if (got == 0) return true;
        if (text.size() + std::size_t(got) > limit) {
            reason = too_large;
            return false;
        }
        text.append(buffer, std::size_t(got));
    }
}

void strip_byte_order_mark(std::string& text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
}

}  // namespace codev
