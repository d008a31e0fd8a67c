// The driver of every stream filter (buddyctl, kmapsim, va2pa --stream):
// reads files or stdin line by line, hands the lines a tool owns to it,
// passes every other line through unchanged, and reports malformed lines as
// "tool: error: FILE:LINE:COL: what" while still passing them through.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kmemkit/stream.hpp"

namespace kmemkit::cli {

struct FilterResult {
    uint64_t lines = 0;      // lines read (= lines written)
    uint64_t errors = 0;     // malformed lines reported
};

// Does the tool act on this line?  (Cheap: look at the verb or the raw text.)
using FilterOwns = std::function<bool(std::string_view verb, std::string_view text)>;
// Acts on an owned, well-formed line.  On success write the whole output
// line (text + appended fields + '\n') to `out` and return true; to reject it,
// fill `err`, write nothing, and return false.
using FilterHandle = std::function<bool(const StreamLine& line, OutBuf& out, StreamError& err)>;

// `files` empty or "-" means stdin.  Throws Error for an unreadable file,
// std::system_error for write errors.
FilterResult run_filter(const std::vector<std::string>& files, OutBuf& out, const FilterOwns& owns,
                        const FilterHandle& handle);

// The first token of a line (no allocation).
std::string_view first_token(std::string_view text);

}  // namespace kmemkit::cli
