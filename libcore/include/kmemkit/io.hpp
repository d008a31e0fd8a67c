// Whole-file input and output with errors that name the path and the reason (strerror).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace kmemkit {

// All of `path` ("-": standard input, named <stdin> in errors), at most `limit` bytes.  Throws
// Error at the path: "cannot open WHAT: <strerror>", "is a directory, not a WHAT", "read error:
// <strerror>", and `too_big` (default "WHAT is larger than LIMIT bytes; refusing to read it").
std::string read_input(const std::string& path, size_t limit, const std::string& what,
                       const std::string& too_big = {});

// Writes `text` to the file `path` (created or truncated).  Throws Error at the path:
// "cannot create WHAT: <strerror>", "write error: <strerror>".
void write_output(const std::string& path, std::string_view text, const std::string& what);

}  // namespace kmemkit
