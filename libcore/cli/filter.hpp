// The driver of every stream filter (buddyctl, kmapsim, va2pa --stream): reads files or stdin
// line by line, classifies each line once with the stream grammar (kmemkit/stream/grammar.hpp),
// parses it once, hands the lines the tool owns to its handler and the lines it reads to its
// reader, and passes every other line through byte for byte.  A malformed owned line is
// reported as "tool: error: FILE:LINE:COL: what" and still passed through.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "kmemkit/stream/grammar.hpp"
#include "kmemkit/stream/line.hpp"

namespace kmemkit::cli {

struct FilterSpec {
    StreamTool tool;
    bool strict = false;   // a line of an unknown verb, shaped as an event, is an error
};

struct FilterResult {
    uint64_t lines = 0;          // lines read (= lines written, before the inserted ones)
    uint64_t errors = 0;         // malformed lines reported (and --strict's, below)
    uint64_t strict_errors = 0;  // of which the handler's --strict misuses and unknown verbs
};

// The handler of an owned, well-formed line: on success write the whole output line (text +
// appended fields + '\n', and any inserted lines) to `out` and return true; to reject it, fill
// `err`, write nothing and return false (`strict` set when --strict made it an error).
//   bool own(const StreamLine&, OutBuf&, StreamError&, bool& strict)
// The reader of a well-formed line of a verb the tool learns from (written unchanged after it):
//   void read(const StreamLine&)
struct NoReader {
    void operator()(const StreamLine&) const {}
};
// `fast` may take a line before any classification (return true when it wrote the whole output
// line); it must only accept lines it validates completely.
struct NoFastPath {
    bool operator()(std::string_view, OutBuf&) const { return false; }
};

// Opens one input ("-" is stdin, shown as <stdin>); throws Error with the path and the reason.
int open_input(const std::string& name, std::string& shown);
// /dev/null for writing, for a replay whose annotated lines are not wanted (`buddyctl info FILE`)
int open_null_output();
// Reports a malformed owned line: "tool: error: FILE:LINE:COL: msg" (after flushing `out`).
void report_line_error(OutBuf& out, const std::string& shown, uint64_t line, const StreamError& err);
void warn_crlf(OutBuf& out, const std::string& shown, uint64_t line);
// An unknown verb: under --strict an error (true: reported, count it); else a warning for a
// near miss of one of the filter's verbs ("did you mean"), once per word.
bool report_unknown_verb(OutBuf& out, const std::string& shown, uint64_t line, std::string_view text,
                         const FilterSpec& spec);

// Progress on stderr while a filter runs, only on a terminal (not under TERM=dumb or NO_COLOR)
// and only after a second's work: lines, rate and, for files, the percentage; erased at the end
// and on SIGINT/SIGTERM.
// "[######                   ]  25% 1000000 lines, 3.2 M lines/s" (files: the size is known), or
// "1000000 lines, 3.2 M lines/s" (stdin, a pipe).
std::string filter_progress_text(uint64_t lines, double seconds, uint64_t done_bytes, uint64_t total_bytes);
class FilterProgress {
public:
    explicit FilterProgress(const std::vector<std::string>& files);
    ~FilterProgress();
    void tick(size_t bytes) {
        done_ += bytes + 1;
        if (on_ && !(++lines_ & 0xffff)) show();
    }

private:
    void show();
    bool on_ = false;
    uint64_t total_ = 0, done_ = 0, lines_ = 0;   // total 0: unknown
    std::chrono::steady_clock::time_point t0_;
};

// `files` empty means stdin.  Throws Error for an unreadable file, std::system_error for read
// and write errors.  A template so that the tool's lambdas inline into the per-line loop.
template <class Own, class Read = NoReader, class Fast = NoFastPath>
FilterResult run_filter(const std::vector<std::string>& files, OutBuf& out, const FilterSpec& spec, const Own& own,
                        const Read& read = Read(), const Fast& fast = Fast()) {
    FilterResult res;
    const std::vector<std::string> stdin_only{"-"};
    const auto& inputs = files.empty() ? stdin_only : files;
    FilterProgress progress(files);
    StreamLine parsed;
    StreamError err;
    bool warned_cr = false;
    for (const auto& name : inputs) {
        std::string shown;
        int fd = open_input(name, shown);
        LineReader rd(fd, shown);
        std::string_view line;
        while (rd.next(line)) {
            ++res.lines;
            progress.tick(line.size());
            if (rd.had_cr() && !warned_cr) {
                warned_cr = true;
                warn_crlf(out, shown, rd.line_number());
            }
            if (fast(line, out)) continue;
            // parse first: a well-formed line is classified from its fields; one that does not
            // parse is classified from its text (and is an error only where it is the filter's)
            const bool ok = !rd.too_long() && parse_stream_line(line, parsed, err);
            const LineClass lc = ok ? classify_parsed_line(spec.tool, parsed) : classify_stream_line(spec.tool, line);
            switch (lc.role) {
            case LineRole::pass: break;
            case LineRole::own:
            case LineRole::fields: {
                // fields (va2pa): a line of any verb carrying va= or pa=; one that does not parse
                // is the error of its owner when its verb is another filter's, else va2pa's
                const bool mine = lc.role == LineRole::own || !lc.verb;
                bool strict_error = false;
                if (!ok && !mine) break;
                if (rd.too_long()) {
                    err.message = "line is " + std::to_string(line.size()) + " bytes long (the limit is 1 MiB)";
                    err.col = 1;
                } else if (ok) {
                    if (lc.role == LineRole::fields && !lc.verb && !lc.first.empty() && spec.strict &&
                        report_unknown_verb(out, shown, rd.line_number(), line, spec)) {
                        ++res.errors;
                        ++res.strict_errors;
                        break;
                    }
                    if (own(parsed, out, err, strict_error)) continue;
                }
                ++res.errors;
                if (strict_error) ++res.strict_errors;
                report_line_error(out, shown, rd.line_number(), err);
                break;
            }
            case LineRole::read:
                if (ok) read(parsed);
                break;
            case LineRole::unknown:
                if (!rd.too_long() && (!spec.strict || ok) &&
                    report_unknown_verb(out, shown, rd.line_number(), line, spec)) {
                    ++res.errors;
                    ++res.strict_errors;
                }
                break;
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
