// Helpers shared by the libFuzzer targets (usage: the header of tests/fuzz/run_fuzz.sh).
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <unistd.h>

// A finding: print why, then abort so that libFuzzer saves the input.
#define FUZZ_CHECK(cond)                                                                     \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                                    \
        }                                                                                    \
    } while (0)

namespace fuzz {

// An anonymous in-memory file holding `data`, positioned at 0.
inline int memfd_with(std::string_view data) {
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    FUZZ_CHECK(fd >= 0);
    size_t off = 0;
    while (off < data.size()) {
        ssize_t w = ::write(fd, data.data() + off, data.size() - off);
        FUZZ_CHECK(w > 0);
        off += size_t(w);
    }
    FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
    return fd;
}

inline std::string read_all(int fd) {
    std::string s;
    FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
    char buf[65536];
    for (;;) {
        ssize_t r = ::read(fd, buf, sizeof buf);
        FUZZ_CHECK(r >= 0);
        if (r == 0) break;
        s.append(buf, size_t(r));
    }
    return s;
}

// Lines of `text` as the stream tools see them: split at '\n', a CR before
// the '\n' dropped (unless strip_cr is false: how a tool's output is read
// back, since a line's own text may end in CR), a last line without '\n'
// still a line.
template <class F>
inline void for_each_line(std::string_view text, F&& f, bool strip_cr = true) {
    size_t s = 0;
    while (s < text.size()) {
        size_t nl = text.find('\n', s);
        size_t e = nl == std::string_view::npos ? text.size() : nl;
        size_t len = e - s;
        if (strip_cr && len > 0 && text[s + len - 1] == '\r') --len;
        f(text.substr(s, len));
        if (nl == std::string_view::npos) break;
        s = nl + 1;
    }
}

}  // namespace fuzz
