// libFuzzer target: one tool's stream mode end to end.  The tool's own
// main.cpp is compiled in with main renamed to kmemkit_tool_main (see
// CMakeLists.txt), and each input runs it as
//     TOOL -p PROFILE ARGS... < input > memfd
// so the very code the tool runs (CLI11 parsing, cli::run, run_filter, the
// tool's handlers, libcore) sees the fuzz input as its stdin.  Byte 0 of the
// input picks the profile (with its board options, see CMakeLists.txt); the
// rest is the stream.
// Invariants: never crashes or hangs; exit status 0, 1 or 2; every input line
// comes out, in order, as a prefix of an output line (a filter appends fields,
// never drops or reorders lines); with KMEMKIT_TOOL_EXACT lines in == lines out,
// otherwise lines out >= lines in (the tool documents extra lines).
#include <fcntl.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "fuzz_util.hpp"
#include "kmemkit/profile.hpp"

#ifndef KMEMKIT_TOOL_EXACT
#define KMEMKIT_TOOL_EXACT 1
#endif

int kmemkit_tool_main(int argc, char** argv);

extern "C" void __sanitizer_set_report_fd(void*) __attribute__((weak));

// cli::run() closes stdout at the end; here it must stay open for the next input.
extern "C" int __real_fclose(FILE* f);
extern "C" int __wrap_fclose(FILE* f) {
    if (f == stdout) return std::fflush(f);
    return __real_fclose(f);
}

// Every input names one of a few embedded profiles: parse each once (the YAML
// loader has a target of its own, fuzz_profile) so that executions go to the
// stream.  The linker sends cli::load_board's call here (-Wl,--wrap=KMEMKIT_LOAD_PROFILE, the
// mangled name, which CMakeLists.txt defines once for both).
#ifndef KMEMKIT_LOAD_PROFILE
#error "KMEMKIT_LOAD_PROFILE (the mangled name of kmemkit::load_profile) comes from tests/fuzz/CMakeLists.txt"
#endif
kmemkit::Profile real_load_profile(const std::string&) __asm__("__real_" KMEMKIT_LOAD_PROFILE);
kmemkit::Profile cached_load_profile(const std::string& name) __asm__("__wrap_" KMEMKIT_LOAD_PROFILE);
kmemkit::Profile cached_load_profile(const std::string& name) {
    static std::map<std::string, kmemkit::Profile> cache;
    auto it = cache.find(name);
    if (it == cache.end()) it = cache.emplace(name, real_load_profile(name)).first;
    return it->second;
}

static int g_saved_out = -1, g_saved_err = -1, g_null = -1;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    g_saved_out = dup(1);
    g_saved_err = dup(2);
    g_null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    // sanitizer reports must reach the real stderr while the tool's goes to /dev/null
    if (__sanitizer_set_report_fd) __sanitizer_set_report_fd(reinterpret_cast<void*>(intptr_t(g_saved_err)));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    static const char* profiles[] = {KMEMKIT_TOOL_PROFILES};
    const size_t nprof = sizeof profiles / sizeof profiles[0];
    std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);

    std::vector<std::string> args = {KMEMKIT_TOOL_NAME, "-p"};
    for (std::string_view p = profiles[data[0] % nprof]; !p.empty();) {   // "NAME [ARG...]"
        size_t sp = p.find(' ');
        args.emplace_back(p.substr(0, sp));
        p = sp == std::string_view::npos ? std::string_view() : p.substr(sp + 1);
    }
    static const char* extra[] = {KMEMKIT_TOOL_ARGS nullptr};   // ARGS is "a", "b", (comma-terminated)
    for (const char** a = extra; *a; ++a) args.push_back(*a);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int ifd = fuzz::memfd_with(in);
    int ofd = fuzz::memfd_with({});
    std::fflush(stdout);
    FUZZ_CHECK(dup2(ifd, 0) == 0);
    FUZZ_CHECK(dup2(ofd, 1) == 1);
    FUZZ_CHECK(dup2(g_null, 2) == 2);
    int rc = kmemkit_tool_main(int(args.size()), argv.data());
    std::fflush(stdout);
    std::fflush(stderr);
    dup2(g_saved_out, 1);
    dup2(g_saved_err, 2);
    std::string out = fuzz::read_all(ofd);
    close(ifd);
    close(ofd);
    close(0);

    FUZZ_CHECK(rc == 0 || rc == 1 || rc == 2);
    std::vector<std::string_view> lin, lout;
    fuzz::for_each_line(in, [&](std::string_view l) { lin.push_back(l); });
    fuzz::for_each_line(out, [&](std::string_view l) { lout.push_back(l); }, false);
    FUZZ_CHECK(out.empty() || out.back() == '\n');
    if (KMEMKIT_TOOL_EXACT) FUZZ_CHECK(lout.size() == lin.size());
    FUZZ_CHECK(lout.size() >= lin.size());
    // every input line, in order, starts an output line
    size_t j = 0;
    for (auto l : lin) {
        while (j < lout.size() && lout[j].substr(0, l.size()) != l) {
            FUZZ_CHECK(!KMEMKIT_TOOL_EXACT);
            ++j;
        }
        FUZZ_CHECK(j < lout.size());
        ++j;
    }
    return 0;
}
