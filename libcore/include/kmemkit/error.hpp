// Errors from input: every one knows where it happened (file, line, column).
#pragma once
#include <stdexcept>
#include <string>

namespace kmemkit {

// Bad usage or bad input (tools exit with status 2). `file` is empty for a
// command-line argument; line/col are 1-based and 0 when unknown.
struct Error : std::runtime_error {
    explicit Error(const std::string& msg, std::string file_ = {}, int line_ = 0, int col_ = 0)
        : std::runtime_error(msg), file(std::move(file_)), line(line_), col(col_) {}
    std::string file;
    int line = 0;
    int col = 0;
    // "file:line:col: " (the parts that are known), or "".
    std::string where() const;
    // where() + what()
    std::string message() const { return where() + what(); }
};

// Re-throws `e` located at file/line, shifting its column by `col_offset`
// (used when a token parsed alone sits inside a longer line).
[[noreturn]] void rethrow_at(const Error& e, const std::string& file, int line, int col_offset);

}  // namespace kmemkit
