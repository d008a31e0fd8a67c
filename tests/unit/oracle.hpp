// The QEMU oracle runs (tests/data/oracle/facts/*.json: real Linux 6.1 boots),
// each with the board that reproduces it: ARM runs are `-m MEM` at 0x40000000,
// x86 runs use the memory the kernel manages (memblock's node ranges from the log).
#pragma once
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <dirent.h>
#include <string>
#include <vector>

#include "kmemkit/profile.hpp"

namespace oracle {

struct Run {
    std::string file;          // "arm-1024M-vmalloc96M.json"
    std::string arch;          // arm, arm-lpae, i386, i386-pae
    YAML::Node facts;          // the JSON (yaml-cpp reads JSON)
    std::string profile;       // the shipped profile of that kernel
    kmemkit::BoardOverrides overrides;
};

inline uint64_t hexnum(const YAML::Node& n) { return std::stoull(n.as<std::string>(), nullptr, 16); }

// Every run with the board that reproduces it, sorted by file name, including the
// boots that did not complete or panicked later (their early lines, "Zone ranges:"
// and "Built 1 zonelists", are still real).
inline std::vector<Run> all_runs() {
    std::vector<Run> out;
    std::string dir = std::string(KMEMKIT_TEST_DATA) + "/oracle/facts";
    // sort the names before loading: yaml-cpp's Node assignment writes through to the
    // node it refers to, so a vector of Nodes must not be sorted
    std::vector<std::string> names;
    DIR* d = opendir(dir.c_str());
    if (!d) return out;
    while (dirent* ent = readdir(d)) {
        std::string f = ent->d_name;
        if (f.size() >= 5 && f.substr(f.size() - 5) == ".json") names.push_back(f);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    out.reserve(names.size());
    for (const auto& f : names) {
        YAML::Node j = YAML::LoadFile(dir + "/" + f);
        Run r{f, j["arch"].as<std::string>(), j, "", {}};
        r.overrides.cmdline = j["cmdline_extra"].as<std::string>();
        if (r.arch == "arm" || r.arch == "arm-lpae") {
            r.profile = r.arch == "arm" ? "qemu-virt-arm" : "qemu-virt-arm-lpae";
            r.overrides.mem = j["mem_mib"].as<uint64_t>() << 20;
        } else {
            r.profile = r.arch == "i386" ? "qemu-pc-i386" : "qemu-pc-i386-pae";
            for (const auto& rg : j["early_node_ranges"]) {
                uint64_t s = hexnum(rg["start"]), e = hexnum(rg["end"]) + 1;
                r.overrides.ram.push_back({s, e - s});
            }
        }
        out.push_back(std::move(r));
    }
    return out;
}

// Every complete run that did not panic and has /proc/zoneinfo, sorted by file name.
inline std::vector<Run> runs() {
    std::vector<Run> out;
    for (auto& r : all_runs()) {
        const YAML::Node& j = r.facts;
        if (!j["complete"].as<bool>() || (j["panic"] && j["panic"].as<bool>())) continue;
        if (!j["zones"] || j["zones"].IsNull()) continue;
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace oracle
