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
    while (i < t.size() && t[i] != ' ' && t[i] != '\t') ++i;
    return t.substr(s, i - s);
}

FilterResult run_filter(const std::vector<std::string>& files, OutBuf& out, const FilterOwns& owns,
                        const FilterHandle& handle) {
    FilterResult res;
    std::vector<std::string> inputs = files.empty() ? std::vector<std::string>{"-"} : files;
    StreamLine parsed;
    StreamError err;
    bool warned_cr = false;
    for (const auto& name : inputs) {
        int fd = 0;
        std::string shown = "<stdin>";
        if (name != "-") {
            fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) throw Error(fmt::format("cannot open: {}", std::strerror(errno)), name);
            shown = name;
        }
        LineReader rd(fd);
        std::string_view line;
        while (rd.next(line)) {
            ++res.lines;
            if (rd.had_cr() && !warned_cr) {
                warned_cr = true;
                out.flush();
                warn(fmt::format("{}:{}: CRLF line ends: written back as LF", shown, rd.line_number()));
            }
            std::string_view verb = first_token(line);
            bool mine = !verb.empty() && verb[0] != '#' && owns(verb, line);
            if (mine) {
                if (rd.too_long()) {
                    err.message = fmt::format("line is {} bytes long (the limit is 1 MiB)", line.size());
                    err.col = 1;
                } else if (parse_stream_line(line, parsed, err) && handle(parsed, out, err)) {
                    continue;
                }
                ++res.errors;
                out.flush();
                std::fprintf(stderr, "%s: error: %s:%llu:%u: %s\n", tool_name(), shown.c_str(),
                             (unsigned long long)rd.line_number(), err.col ? err.col : 1u, err.message.c_str());
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
