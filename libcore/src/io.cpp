#include "kmemkit/io.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmemkit/error.hpp"

namespace kmemkit {

std::string read_input(const std::string& path, size_t limit, const std::string& what, const std::string& too_big) {
    const bool std_in = path == "-";
    const std::string shown = std_in ? "<stdin>" : path;
    int fd = std_in ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(fmt::format("cannot open {}: {}", what, std::strerror(errno)), shown);
    struct Closer {
        int fd;
        ~Closer() {
            if (fd > 0) ::close(fd);
        }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) throw Error(fmt::format("is a directory, not a {}", what), shown);
    std::string text;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(fmt::format("read error: {}", std::strerror(errno)), shown);
        }
        if (n == 0) break;
        text.append(buf, size_t(n));
        if (text.size() > limit)
            throw Error(too_big.empty() ? fmt::format("{} is larger than {} bytes; refusing to read it", what, limit)
                                        : too_big,
                        shown);
    }
    return text;
}

void write_output(const std::string& path, std::string_view text, const std::string& what) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) throw Error(fmt::format("cannot create {}: {}", what, std::strerror(errno)), path);
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            ::close(fd);
            throw Error(fmt::format("write error: {}", std::strerror(e)), path);
        }
        done += size_t(n);
    }
    if (::close(fd) != 0) throw Error(fmt::format("write error: {}", std::strerror(errno)), path);
}

}  // namespace kmemkit
