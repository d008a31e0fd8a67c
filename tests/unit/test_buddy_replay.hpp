// Runs a trace through buddyctl's stream path in process: the Replayer of a
// board behind cli::run_filter (the driver every filter uses), input and output
// through files, so that the tests see the very lines buddyctl writes.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "filter.hpp"
#include "kmemkit/profile.hpp"
#include "kmemkit/trace.hpp"

namespace buddy_test {

struct Replay {
    std::string out;
    uint64_t lines = 0, errors = 0;
};

inline std::string temp_file(const std::string& text) {
    char path[] = "/tmp/kmemkit_replay_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return {};
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) break;
        done += size_t(n);
    }
    ::close(fd);
    return path;
}

// `in` through cli::run_filter with a filter's spec, handler and reader
template <class Own, class Read = kmemkit::cli::NoReader>
Replay run_text(const kmemkit::cli::FilterSpec& spec, const std::string& in, const Own& own, const Read& read = Read()) {
    std::string ip = temp_file(in), op = temp_file("");
    Replay r;
    {
        int fd = ::open(op.c_str(), O_WRONLY | O_TRUNC);
        kmemkit::OutBuf out(fd);
        auto res = kmemkit::cli::run_filter({ip}, out, spec, own, read);
        out.flush();
        ::close(fd);
        r.lines = res.lines;
        r.errors = res.errors;
    }
    std::ifstream f(op);
    std::stringstream ss;
    ss << f.rdbuf();
    r.out = ss.str();
    std::remove(ip.c_str());
    std::remove(op.c_str());
    return r;
}

inline Replay replay(kmemkit::Replayer& rep, const std::string& in) {
    return run_text(kmemkit::cli::FilterSpec{kmemkit::kBuddyctl}, in,
                    [&](const kmemkit::StreamLine& l, kmemkit::OutBuf& o, kmemkit::StreamError& e, bool& se) {
                        return rep.handle(l, o, e, &se);
                    });
}

inline kmemkit::Simulation simulation(const char* profile) {
    return kmemkit::make_simulation(kmemkit::make_board(kmemkit::load_profile(profile), {}));
}

// `in` replayed on a freshly booted board: the output text
inline std::string replay_on(const char* profile, const std::string& in) {
    kmemkit::Simulation sim = simulation(profile);
    kmemkit::Replayer rep(*sim.buddy, *sim.vm, false, sim.pae);
    return replay(rep, in).out;
}

// The lines of `text` that start with `prefix`
inline std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
    std::vector<std::string> v;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l.compare(0, prefix.size(), prefix) == 0) v.push_back(l);
    return v;
}

}  // namespace buddy_test
