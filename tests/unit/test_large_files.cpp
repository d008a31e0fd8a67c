// 32-bit builds (armhf, i386: tests/cross runs these tests under qemu-user) see files and
// directories as a 64-bit build does: the build defines _FILE_OFFSET_BITS=64.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "kmemkit/error.hpp"
#include "kmemkit/profile.hpp"

namespace {
struct TempDir {
    std::string path;
    TempDir() {
        char t[] = "/tmp/kmemkit_large_XXXXXX";
        REQUIRE(mkdtemp(t));
        path = t;
    }
    ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};
}  // namespace

TEST_CASE("large files: a 5 GB profile is refused for its size, not for EOVERFLOW", "[large]") {
    TempDir d;
    std::string f = d.path + "/board.yaml";
    int fd = ::open(f.c_str(), O_WRONLY | O_CREAT, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::ftruncate(fd, off_t(5) << 30) == 0);   // sparse: no disk space used
    ::close(fd);
    struct stat st {};
    REQUIRE(::stat(f.c_str(), &st) == 0);
    CHECK(uint64_t(st.st_size) == uint64_t(5) << 30);
    try {
        kmemkit::load_profile(f);
        FAIL("a 5 GB profile loaded");
    } catch (const kmemkit::Error& e) {
        CHECK(std::string(e.what()) == "profile is larger than 1048576 bytes; refusing to read it");
    }
}

TEST_CASE("large files: readdir lists every entry of a directory", "[large]") {
    // a 32-bit readdir() fails with EOVERFLOW at the first entry whose 64-bit d_off or d_ino does
    // not fit (ext4 hash offsets under qemu-user, XFS inode64, NFS): the list ends early, silently
    TempDir d;
    for (int i = 0; i < 50; ++i) std::fclose(std::fopen((d.path + "/f" + std::to_string(i)).c_str(), "w"));
    DIR* dir = opendir(d.path.c_str());
    REQUIRE(dir);
    int n = 0;
    errno = 0;
    while (dirent* e = readdir(dir))
        if (e->d_name[0] == 'f') ++n;
    CHECK(errno == 0);
    closedir(dir);
    CHECK(n == 50);
}
