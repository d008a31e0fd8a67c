// The driver of every stream filter (buddyctl, kmapsim, va2pa --stream):
// reads files or stdin line by line, hands the lines a tool owns to it,
// passes every other line through unchanged, and reports malformed lines as
// "tool: error: FILE:LINE:COL: what" while still passing them through.
#pragma once
#include <functional>
#include <unistd.h>
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

// The first token of a line, or "" when it is a key=value field (no allocation).
std::string_view first_token(std::string_view text);

// Opens one input ("-" is stdin, shown as <stdin>); throws Error.
int open_input(const std::string& name, std::string& shown);
// Reports a malformed owned line: "tool: error: FILE:LINE:COL: msg" (after flushing `out`).
void report_line_error(OutBuf& out, const std::string& shown, uint64_t line, const StreamError& err);
void warn_crlf(OutBuf& out, const std::string& shown, uint64_t line);

// `files` empty or "-" means stdin.  Throws Error for an unreadable file,
// std::system_error for write errors.  A template so that the tool's lambdas
// inline into the per-line loop (va2pa --stream's 10 M lines/s).
struct NoFastPath {
    bool operator()(std::string_view, OutBuf&) const { return false; }
};

// `fast` may take a line before any parsing (return true when it wrote the
// whole output line); it must only accept lines it validates completely.
template <class Owns, class Handle, class Fast = NoFastPath>
FilterResult run_filter(const std::vector<std::string>& files, OutBuf& out, const Owns& owns, const Handle& handle,
                        const Fast& fast = Fast()) {
    FilterResult res;
    const std::vector<std::string> stdin_only{"-"};
    const auto& inputs = files.empty() ? stdin_only : files;
    StreamLine parsed;
    StreamError err;
    bool warned_cr = false;
    for (const auto& name : inputs) {
        std::string shown;
        int fd = open_input(name, shown);
        LineReader rd(fd);
        std::string_view line;
        while (rd.next(line)) {
            ++res.lines;
            if (rd.had_cr() && !warned_cr) {
                warned_cr = true;
                warn_crlf(out, shown, rd.line_number());
            }
            if (fast(line, out)) continue;
            size_t nb = 0;
            while (nb < line.size() && (line[nb] == ' ' || line[nb] == '\t')) ++nb;
            if (nb < line.size() && line[nb] != '#' && owns(first_token(line), line)) {
                if (rd.too_long()) {
                    err.message = "line is " + std::to_string(line.size()) + " bytes long (the limit is 1 MiB)";
                    err.col = 1;
                } else if (parse_stream_line(line, parsed, err) && handle(parsed, out, err)) {
                    continue;
                }
                ++res.errors;
                report_line_error(out, shown, rd.line_number(), err);
            }
            out.put(line);
            out.put('\n');
        }
        if (fd > 0) ::close(fd);
    }
    out.flush();
    return res;
}


}  // namespace kmemkit::cli
