#include "filter.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "common.hpp"
#include "kmemkit/error.hpp"

namespace kmemkit::cli {

std::string_view first_token(std::string_view t) {
    size_t i = 0;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
    size_t s = i;
    // a token with '=' is a field, not a verb: stop there (and save scanning a long value)
    while (i < t.size() && t[i] != ' ' && t[i] != '\t') {
        if (t[i] == '=') return t.substr(s, 0);
        ++i;
    }
    return t.substr(s, i - s);
}

int open_input(const std::string& name, std::string& shown) {
    if (name == "-") {
        shown = "<stdin>";
        return 0;
    }
    int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(fmt::format("cannot open: {}", std::strerror(errno)), name);
    shown = name;
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

}  // namespace kmemkit::cli
