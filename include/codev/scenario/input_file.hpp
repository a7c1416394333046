// Reading a file the user names (a scenario, its extends chain, a commune or
// design CSV): only a regular file, only up to a size limit. /dev/zero grew
// memory without end and a FIFO blocked forever (issue 20, item 13).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace codev {

// No input the model reads comes near this: a million communes in a CSV take
// about 50 MB.
inline constexpr std::size_t MAX_INPUT_BYTES = std::size_t(256) << 20;

// Reads `path` whole into `text`. Returns false with `reason` (for a message:
// "is not a regular file", "is larger than 256 MiB", strerror) when it cannot.
bool read_input_file(const std::string& path, std::string& text, std::string& reason,
                     std::size_t limit = MAX_INPUT_BYTES);

// Strips a UTF-8 byte-order mark (Excel's "CSV UTF-8" starts with one).
void strip_byte_order_mark(std::string& text);

// The offset of the first byte of `text` that is not part of valid UTF-8
// (overlong forms and surrogates included), or text.size() when all is.
// A CSV's names go into TOML text, which must be UTF-8 to be read back.
std::size_t invalid_utf8_at(std::string_view text);

}  // namespace codev
