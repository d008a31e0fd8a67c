#include "filter.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

#include "common.hpp"
#include "kmemkit/error.hpp"

namespace kmemkit::cli {

int open_input(const std::string& name, std::string& shown) {
    if (name == "-") {
        claim_stdin("the input (no FILE, or -)");
        shown = "<stdin>";
        return 0;
    }
    int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(fmt::format("cannot open: {}", std::strerror(errno)), name);
    shown = name;
    return fd;
}

int open_null_output() {
    int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw Error(fmt::format("cannot open /dev/null for writing: {}", std::strerror(errno)));
    return fd;
}

void report_line_error(OutBuf& out, const std::string& shown, uint64_t line, const StreamError& err) {
    out.flush();
    std::fprintf(stderr, "%s: error: %s:%llu:%u: %s\n", tool_name(), shown.c_str(), (unsigned long long)line,
                 err.col ? err.col : 1u, err.message.c_str());
}

void warn_crlf(OutBuf& out, const std::string& shown, uint64_t line) {
    out.flush();
    warn(fmt::format("{}:{}: CRLF line ends: written back as LF", shown, line));
}

bool report_unknown_verb(OutBuf& out, const std::string& shown, uint64_t line, std::string_view text,
                         const FilterSpec& spec) {
    const bool strict = spec.strict;
    bool comment;
    const std::string_view word = stream_first_token(text, comment);
    const size_t col = size_t(word.data() - text.data()) + 1;
    const StreamVerb* near = stream_verb_near(word);
    if (strict) {
        StreamError err{fmt::format("unknown verb '{}'{}: --strict takes only the verbs of kmemkit-stream(5)",
                                    word.substr(0, 40),
                                    near ? fmt::format(" (did you mean '{}'?)", near->name) : std::string()),
                        uint32_t(col)};
        report_line_error(out, shown, line, err);
        return true;
    }
    // a near miss of one of its verbs is most likely a typo, so the owner says it, once per word;
    // other words are foreign text
    static std::set<std::string, std::less<>> warned;
    if (!near || !(near->owner & spec.tool) || warned.size() >= 64 || !warned.insert(std::string(word)).second) return false;
    out.flush();
    warn(fmt::format("{}:{}:{}: unknown verb '{}' passed through (did you mean '{}'?)", shown, line, col, word,
                     near->name));
    return false;
}

// ---- progress -----------------------------------------------------------------------------------
namespace {
std::atomic<bool> g_progress_shown{false};

void erase_progress() {
    if (g_progress_shown.exchange(false)) {
        const char erase[] = "\r\033[K";
        (void)!::write(2, erase, sizeof erase - 1);
    }
}

extern "C" void on_interrupt(int sig) {
    erase_progress();   // write(2) is async-signal-safe
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

bool progress_wanted() {
    if (!::isatty(2)) return false;
    const char* term = std::getenv("TERM");
    if (term && std::strcmp(term, "dumb") == 0) return false;
    return std::getenv("NO_COLOR") == nullptr;
}
}  // namespace

FilterProgress::FilterProgress(const std::vector<std::string>& files) : t0_(std::chrono::steady_clock::now()) {
    on_ = progress_wanted();
    if (!on_) return;
    bool sized = !files.empty();   // stdin (no FILE, or "-") has no size: no percentage
    for (const auto& f : files) {
        struct stat st;
        if (f != "-" && ::stat(f.c_str(), &st) == 0 && S_ISREG(st.st_mode)) total_ += uint64_t(st.st_size);
        else sized = false;
    }
    if (!sized) total_ = 0;
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
}

FilterProgress::~FilterProgress() { erase_progress(); }

void FilterProgress::show() {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
    if (s < 1.0) return;
    std::fprintf(stderr, "\r%s: %s\033[K", tool_name(), filter_progress_text(lines_, s, done_, total_).c_str());
    std::fflush(stderr);
    g_progress_shown = true;
}

std::string filter_progress_text(uint64_t lines, double seconds, uint64_t done, uint64_t total) {
    double rate = seconds > 0 ? double(lines) / seconds / 1e6 : 0;
    std::string tail = fmt::format("{} lines, {:.1f} M lines/s", lines, rate);
    if (!total) return tail;   // stdin: no size, so no percentage
    int pct = int(std::min<uint64_t>(100, done * 100 / total));
    return fmt::format("[{:<25}] {:3}% {}", std::string(size_t(pct / 4), '#'), pct, tail);
}

}  // namespace kmemkit::cli
